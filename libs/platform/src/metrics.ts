/** The application's Prometheus metrics. */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** What a sampled gauge reads at each scrape: one number, or one number per label value. */
export type Sample = number | readonly { readonly labels: Record<string, string>; readonly value: number }[];

/**
 * A gauge whose value is read from a source when Prometheus scrapes, not pushed. It is exposed only once a source is
 * registered, so a series that nothing feeds yet (an outbox that does not exist) does not read as a healthy zero.
 */
export class SampledGauge {
  private readonly gauge: Gauge;
  private source?: () => Sample | Promise<Sample>;

  constructor(
    private readonly registry: Registry,
    name: string,
    help: string,
    labelNames: readonly string[] = [],
  ) {
    const read = () => this.source?.();
    this.gauge = new Gauge({
      name,
      help,
      labelNames,
      registers: [],
      async collect() {
        const sample = await read();
        this.reset();
        if (typeof sample === 'number') this.set(sample);
        else for (const { labels, value } of sample ?? []) this.set(labels, value);
      },
    });
  }

  /** Registers (or replaces) the function read at each scrape. */
  from(source: () => Sample | Promise<Sample>): void {
    if (!this.source) this.registry.registerMetric(this.gauge);
    this.source = source;
  }
}

/**
 * The application's Prometheus metrics, one registry per application instance (exposed at /metrics). Inject `Metrics`
 * (a global provider) to count or to register a source:
 *   metrics.loginsFailed.inc({ reason: 'bad_credentials' });
 *   metrics.outboxBacklog.from(async () => countPendingRows());
 */
export class Metrics {
  readonly registry = new Registry();

  /** Request latency by route template (`/advisory/engagements/:engagementId`), never by raw URL. */
  readonly httpRequestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by method, route template and status code',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  /** Stream appends made by this instance (a multi-stream append counts each stream it wrote). */
  readonly streamAppends = new Counter({
    name: 'eventstore_stream_appends_total',
    help: 'Event stream appends made by this instance',
    registers: [this.registry],
  });

  /** Requests refused with 429; the HTTP edge counts every one, by route template. */
  readonly throttledRequests = new Counter({
    name: 'http_requests_throttled_total',
    help: 'Requests refused with 429 Too Many Requests',
    labelNames: ['route'],
    registers: [this.registry],
  });

  readonly loginsFailed = new Counter({
    name: 'auth_logins_failed_total',
    help: 'Login attempts refused',
    labelNames: ['reason'],
    registers: [this.registry],
  });

  /** Read-model statements run on the streaming replica (DATABASE_REPLICA_URL), one per connection it lent. */
  readonly replicaReads = new Counter({
    name: 'db_replica_reads_total',
    help: 'Read-model statements the streaming replica served',
    registers: [this.registry],
  });
  readonly replicaWaits = new Counter({
    name: 'db_replica_waits_total',
    help: "Reads that waited for the replica to replay the caller's last write",
    registers: [this.registry],
  });
  readonly replicaFallbacks = new Counter({
    name: 'db_replica_fallbacks_total',
    help: "Reads sent to the primary: the replica had not replayed the caller's last write within REPLICA_MAX_WAIT_MS, or could not be reached",
    labelNames: ['reason'],
    registers: [this.registry],
  });

  readonly projectionLag = new SampledGauge(this.registry, 'projection_lag_events', 'Committed events each read model has still to apply', [
    'projection',
  ]);
  readonly sealerLag = new SampledGauge(
    this.registry,
    'audit_sealer_lag_events',
    'Committed events not yet sealed into the audit Merkle tree',
  );
  readonly outboxBacklog = new SampledGauge(this.registry, 'payments_outbox_backlog', 'Charges and refunds waiting in the payments outbox');

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
