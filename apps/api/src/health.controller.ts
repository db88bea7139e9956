import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { Response } from 'express';
import { Public } from '@app/identity';
import { PgEventStore } from '@app/event-store';
import { ProjectionRunner } from '@app/platform';

/** Liveness and readiness: the database answers and each projection's lag in events. */
@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly store: PgEventStore,
    private readonly projections: ProjectionRunner,
  ) {}

  @Public()
  @Get()
  @ApiOkResponse({ description: 'healthy' })
  @ApiServiceUnavailableResponse({ description: 'the database does not answer' })
  async health(@Res({ passthrough: true }) response: Response) {
    const started = Date.now();
    try {
      await this.store.pool.query('SELECT 1');
    } catch {
      response.status(503);
      return { status: 'unavailable', database: { status: 'down' } };
    }
    const databaseMs = Date.now() - started;
    const projections = await this.projections.lag();
    const lagging = projections.some((projection) => projection.behind >= 1000);
    return { status: lagging ? 'degraded' : 'ok', database: { status: 'up', latencyMs: databaseMs }, projections };
  }
}
