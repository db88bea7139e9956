/**
 * Log verification as a job a compliance officer starts over HTTP (E2, E5): the request is recorded as an access event
 * with its reason, then the log verifier streams through the whole log in the background while the job's row shows its
 * progress, and finally its result (OK, or the first bad leaf and the kind of damage). One job runs at a time across
 * every API instance: the running job holds a session-level PostgreSQL advisory lock on a connection of its own, which
 * the database releases if the instance dies, so a row left `running` by a dead instance is marked `interrupted` by
 * the next start.
 */
import { BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { Clock, CommandContext, DomainError, IdGenerator, notFound } from '@app/common';
import { DatabaseSession, LogDatabase } from '@app/event-store';
import { AggregateStore, JsonLogger } from '@app/platform';
import { accessDecider, accessStreamId, decideAccess, RecordAccess } from '../domain/evidence-access';
import { parseVerifierKey } from '../domain/signed-note';
import { LogProblem, verifyAuditLog } from '../infrastructure/log-verifier';
import { PgAuditStore } from '../infrastructure/pg-audit-store';
import { AuditSigning } from '../infrastructure/signing-key';
import { AUDIT_SIGNING } from './audit-sealer.service';

const VERIFICATION_LOCK = "hashtext('audit.verification')";
/** Progress is written at most this often, so a fast verification does not turn into a stream of row updates. */
const PROGRESS_WRITE_MS = 500;

export type VerificationStatus = 'running' | 'ok' | 'failed' | 'error' | 'interrupted';

export interface VerificationView {
  readonly id: string;
  readonly status: VerificationStatus;
  readonly requestedBy: string;
  readonly reason: string;
  readonly accessId: string;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly progress: { readonly eventsChecked: number; readonly eventsTotal: number };
  readonly result: VerificationResult | null;
}

export interface VerificationResult {
  readonly ok: boolean;
  readonly treeSize?: number;
  readonly checkpointsVerified?: number;
  readonly unsealedEvents?: number;
  readonly rootHash?: string;
  /** The first bad position and the kind of damage. */
  readonly problem?: LogProblem;
  /** Why the job could not finish (status `error` or `interrupted`). */
  readonly error?: string;
  readonly durationMs?: number;
  readonly eventsPerSecond?: number;
}

type Row = {
  id: string;
  status: VerificationStatus;
  requested_by: string;
  reason: string;
  access_id: string;
  events_checked: string;
  events_total: string;
  result: VerificationResult | null;
  started_at: Date;
  finished_at: Date | null;
};

const toView = (row: Row): VerificationView => ({
  id: row.id,
  status: row.status,
  requestedBy: row.requested_by,
  reason: row.reason,
  accessId: row.access_id,
  startedAt: row.started_at.toISOString(),
  finishedAt: row.finished_at?.toISOString() ?? null,
  progress: { eventsChecked: Number(row.events_checked), eventsTotal: Number(row.events_total) },
  result: row.result,
});

class Stopped extends Error {}

@Injectable()
export class VerificationJobsService implements BeforeApplicationShutdown {
  private running: { readonly id: string; readonly done: Promise<void>; stop: boolean } | null = null;

  constructor(
    private readonly events: LogDatabase,
    private readonly aggregates: AggregateStore,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly logger: JsonLogger,
    @Inject(AUDIT_SIGNING) private readonly signing: AuditSigning,
  ) {}

  /**
   * Starts a verification, or refuses with 409 AUDIT.VERIFICATION_RUNNING (naming the running job) while one runs on
   * any instance. The access is recorded before anything of the log is read (E5).
   */
  async start(context: CommandContext, reason: string | undefined): Promise<VerificationView> {
    const accessId = this.ids.next();
    const command: RecordAccess = {
      accessId,
      kind: 'log_verification',
      actor: context.actor,
      subject: {},
      query: {},
      reason,
      now: context.now,
    };
    // E5 refuses before the lock is taken; the same decision is appended once the lock is held.
    const decided = decideAccess(command);
    if (decided instanceof DomainError) throw decided;
    const pool = this.events;
    const lock = await pool.connect();
    // The lock's session lives as long as the job: a connection lost meanwhile (a database restart) must not crash the
    // process; the job's own reads fail and record the error.
    const onLost = (error: Error) =>
      this.logger.event('warn', 'audit', { msg: 'log verification lock connection lost', error: error.message });
    lock.on('error', onLost);
    let handedOver = false;
    try {
      const { rows: locked } = await lock.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock(${VERIFICATION_LOCK}) AS ok`);
      if (!locked[0].ok) {
        const { rows } = await pool.query<{ id: string }>(
          `SELECT id FROM audit_verifications WHERE status = 'running' ORDER BY started_at DESC LIMIT 1`,
        );
        throw new DomainError(
          'conflict',
          'AUDIT.VERIFICATION_RUNNING',
          'a log verification is already running; follow it, or start another when it has finished',
          undefined,
          {
            runningVerificationId: rows[0]?.id,
          },
        );
      }
      try {
        const now = this.clock.now();
        // Holding the lock, no job can be running anywhere: a `running` row is what a dead instance left behind.
        await pool.query(
          `UPDATE audit_verifications SET status = 'interrupted', finished_at = $1, updated_at = $1, result = '{"ok": false, "error": "the instance running it stopped"}'
            WHERE status = 'running'`,
          [now],
        );
        await this.aggregates.handle(accessDecider, accessStreamId(accessId), command, context, () => undefined);
        const id = this.ids.next();
        const total = await this.eventsToCheck();
        const { rows } = await pool.query<Row>(
          `INSERT INTO audit_verifications (id, requested_by, reason, access_id, status, events_total, started_at, updated_at)
           VALUES ($1, $2, $3, $4, 'running', $5, $6, $6) RETURNING *`,
          [id, context.actor.id, decided[0].data.reason, accessId, total, now],
        );
        this.run(id, lock, onLost);
        handedOver = true;
        return toView(rows[0]);
      } finally {
        if (!handedOver) await lock.query(`SELECT pg_advisory_unlock(${VERIFICATION_LOCK})`);
      }
    } finally {
      if (!handedOver) {
        lock.off('error', onLost);
        lock.release();
      }
    }
  }

  /** The sealed leaves plus the committed events after the sealed tail: what a verification starting now will check. */
  private async eventsToCheck(): Promise<number> {
    const { range, lastPosition } = await new PgAuditStore(this.events).loadTail();
    const { rows } = await this.events.query<{ n: string }>(
      `SELECT count(*) AS n FROM events WHERE (tx_id, position) > ($1::text::xid8, $2::bigint) AND tx_id < pg_snapshot_xmin(pg_current_snapshot())`,
      [lastPosition.major.toString(), lastPosition.minor.toString()],
    );
    return range.size + Number(rows[0].n);
  }

  async get(id: string): Promise<VerificationView> {
    const { rows } = await this.events.query<Row>('SELECT * FROM audit_verifications WHERE id = $1', [id]);
    if (!rows[0]) throw notFound('AUDIT.VERIFICATION_NOT_FOUND', `no log verification ${id}`);
    return toView(rows[0]);
  }

  async list(limit: number): Promise<VerificationView[]> {
    const { rows } = await this.events.query<Row>('SELECT * FROM audit_verifications ORDER BY started_at DESC LIMIT $1', [limit]);
    return rows.map(toView);
  }

  /** Resolves when the job this instance runs (if any) has finished: for tests and shutdown. */
  async settled(): Promise<void> {
    await this.running?.done;
  }

  /** Before the pools close (their hooks run later). */
  async beforeApplicationShutdown(): Promise<void> {
    if (!this.running) return;
    this.running.stop = true;
    await this.running.done;
  }

  private run(id: string, lock: DatabaseSession, onLost: (error: Error) => void): void {
    const pool = this.events;
    const job = { id, stop: false, done: Promise.resolve() };
    const finish = (status: VerificationStatus, result: VerificationResult, checked: number) =>
      pool.query(
        `UPDATE audit_verifications SET status = $2, result = $3, events_checked = $4, finished_at = $5, updated_at = $5 WHERE id = $1`,
        [id, status, result, checked, this.clock.now()],
      );
    job.done = (async () => {
      const started = performance.now();
      let checked = 0;
      let lastWrite = started;
      try {
        const verifier = parseVerifierKey(this.signing.verifierKey);
        if (!verifier.ok) throw new Error(verifier.reason);
        const report = await verifyAuditLog(pool, {
          verifier: verifier.value,
          origin: this.signing.origin,
          onProgress: (progress) => {
            if (job.stop) throw new Stopped();
            checked = progress.checked;
            if (performance.now() - lastWrite < PROGRESS_WRITE_MS) return;
            lastWrite = performance.now();
            void pool
              .query('UPDATE audit_verifications SET events_checked = $2, updated_at = $3 WHERE id = $1 AND status = $4', [
                id,
                checked,
                this.clock.now(),
                'running',
              ])
              .catch(() => undefined);
          },
        });
        const durationMs = Math.round(performance.now() - started);
        await finish(
          report.ok ? 'ok' : 'failed',
          {
            ok: report.ok,
            treeSize: report.treeSize,
            checkpointsVerified: report.checkpointsVerified,
            unsealedEvents: report.unsealedEvents,
            rootHash: report.rootHash,
            problem: report.problem,
            durationMs,
            eventsPerSecond: durationMs > 0 ? Math.round((report.eventsChecked * 1000) / durationMs) : undefined,
          },
          report.eventsChecked,
        );
      } catch (error) {
        const stopped = error instanceof Stopped;
        if (!stopped)
          this.logger.event('error', 'audit', {
            msg: 'log verification failed to run',
            verificationId: id,
            error: error instanceof Error ? error.message : String(error),
          });
        await finish(
          stopped ? 'interrupted' : 'error',
          {
            ok: false,
            error: stopped ? 'the instance running it stopped' : 'the verification could not run to the end; see the server log',
          },
          checked,
        ).catch(() => undefined);
      } finally {
        const unlocked = await lock.query(`SELECT pg_advisory_unlock(${VERIFICATION_LOCK})`).then(
          () => true,
          () => false,
        );
        lock.off('error', onLost);
        // A session that could not unlock is closed rather than pooled: closing it is what releases the lock.
        lock.release(unlocked ? undefined : true);
        if (this.running === job) this.running = null;
      }
    })();
    this.running = job;
  }
}
