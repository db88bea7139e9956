import { Controller, Get, OnModuleDestroy, OnModuleInit, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Response } from 'express';
import { Public } from '@app/identity';
import { EventStore, LogDatabase } from '@app/event-store';
import { Metrics, ProjectionRunner } from '@app/platform';

/**
 * Committed events after the last sealed tile, in the commit order the sealer follows (capped like projection lag). The
 * ORDER BY keeps it an index range scan under the generic plans of the log database's connections.
 */
const SEALER_LAG = `
  WITH last AS (SELECT last_tx_id, last_position FROM audit_tiles ORDER BY start DESC LIMIT 1)
  SELECT count(*)::int AS n FROM (
    SELECT 1 FROM events
     WHERE (tx_id, position) > (COALESCE((SELECT last_tx_id FROM last), '0'::xid8), COALESCE((SELECT last_position FROM last), -1))
       AND tx_id < pg_snapshot_xmin(pg_current_snapshot())
     ORDER BY events.tx_id, events.position
     LIMIT $1) behind`;

/**
 * Prometheus metrics of this instance at /metrics (text exposition format). No personal data: routes are templates.
 * Reached without a token like /health; keep it on the internal network (see README, "Logs and metrics").
 */
@ApiTags('operations')
@Controller('metrics')
export class MetricsController implements OnModuleInit, OnModuleDestroy {
  private stopCounting: () => void = () => undefined;

  constructor(
    private readonly metrics: Metrics,
    private readonly store: EventStore,
    private readonly database: LogDatabase,
    private readonly projections: ProjectionRunner,
  ) {}

  onModuleInit(): void {
    this.stopCounting = this.store.onAppended((streamIds) => this.metrics.streamAppends.inc(streamIds.length));
    this.metrics.projectionLag.from(async () =>
      (await this.projections.lag()).map(({ name, behind }) => ({ labels: { projection: name }, value: behind })),
    );
    this.metrics.sealerLag.from(async () => (await this.database.query<{ n: number }>(SEALER_LAG, [100_000])).rows[0].n);
  }

  onModuleDestroy(): void {
    this.stopCounting();
  }

  @Public()
  @Get()
  @ApiProduces('text/plain')
  @ApiOperation({ summary: 'Prometheus metrics of this instance' })
  @ApiOkResponse({ description: 'Prometheus text exposition format', content: { 'text/plain': { schema: { type: 'string' } } } })
  async scrape(@Res({ passthrough: true }) response: Response): Promise<string> {
    response.setHeader('Content-Type', this.metrics.registry.contentType);
    return this.metrics.registry.metrics();
  }
}
