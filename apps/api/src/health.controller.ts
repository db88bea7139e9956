import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { Response } from 'express';
import { Public } from '@app/identity';
import { LogDatabase } from '@app/event-store';
import { APP_CONFIG, AppConfig, ConfigError, ProjectionRunner, Readiness } from '@app/platform';

import { HealthResponse, LiveResponse, ReadinessCheck, ReadyResponse } from './health.responses';

const DEFAULT_MAX_PROJECTION_LAG = 1000;

/**
 * Health for operators and orchestrators: `/health/live` (the process answers: restart it if not), `/health/ready`
 * (send it traffic: every registered readiness check passes and it is not shutting down), and `/health` (the
 * database and each projection's lag, as before).
 */
@ApiTags('operations')
@ApiExtraModels(ReadinessCheck)
@Controller('health')
export class HealthController {
  constructor(
    private readonly store: LogDatabase,
    private readonly projections: ProjectionRunner,
    private readonly readiness: Readiness,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    const raw = config.env.READINESS_MAX_PROJECTION_LAG;
    const maxLag = raw === undefined || raw === '' ? DEFAULT_MAX_PROJECTION_LAG : Number(raw);
    if (!Number.isInteger(maxLag) || maxLag < 1)
      throw new ConfigError([`READINESS_MAX_PROJECTION_LAG=${JSON.stringify(raw)}: expected a positive integer`]);
    readiness.register({
      name: 'database',
      check: async () => {
        const started = Date.now();
        await this.store.query('SELECT 1');
        return { ready: true, details: { latencyMs: Date.now() - started } };
      },
    });
    readiness.register({
      name: 'projections',
      check: async () => {
        const lag = await this.projections.lag(maxLag);
        return {
          ready: lag.every((projection) => projection.behind < maxLag),
          details: { maxLag, behind: Object.fromEntries(lag.map((p) => [p.name, p.behind])) },
        };
      },
    });
  }

  @Public()
  @Get()
  @ApiOperation({ summary: "Health: the database and each projection's lag" })
  @ApiOkResponse({ description: 'healthy (or degraded: a projection lags)', type: HealthResponse })
  @ApiServiceUnavailableResponse({ description: 'the database does not answer', type: HealthResponse })
  async health(@Res({ passthrough: true }) response: Response) {
    const started = Date.now();
    try {
      await this.store.query('SELECT 1');
    } catch {
      response.status(503);
      return { status: 'unavailable', database: { status: 'down' } };
    }
    const databaseMs = Date.now() - started;
    const projections = await this.projections.lag();
    const lagging = projections.some((projection) => projection.behind >= 1000);
    return { status: lagging ? 'degraded' : 'ok', database: { status: 'up', latencyMs: databaseMs }, projections };
  }

  @Public()
  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process answers' })
  @ApiOkResponse({ description: 'the process is running and answers', type: LiveResponse })
  live() {
    return { status: 'ok' };
  }

  @Public()
  @Get('ready')
  @ApiOperation({ summary: 'Readiness: send this instance traffic?' })
  @ApiOkResponse({
    description: 'ready for traffic: every readiness check passes (database, projection lag per read model, …)',
    type: ReadyResponse,
  })
  @ApiServiceUnavailableResponse({
    description: 'not ready: a check fails, or the instance is shutting down (draining)',
    type: ReadyResponse,
  })
  async ready(@Res({ passthrough: true }) response: Response) {
    const answer = await this.readiness.evaluate();
    if (!answer.ready) response.status(503);
    return { status: answer.ready ? 'ready' : answer.draining ? 'draining' : 'not_ready', checks: answer.checks };
  }
}
