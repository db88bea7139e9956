/** Readiness checks: whether this instance should be sent traffic (`/health/ready`). */
import { Injectable } from '@nestjs/common';

/**
 * Readiness: whether this instance should be sent traffic. Any module registers a check (the database, projection
 * lag, a backlog of its own); `/health/ready` answers 503 while one fails or the instance is draining for shutdown.
 *
 * ```ts
 * constructor(readiness: Readiness) {
 *   readiness.register({ name: 'outbox', check: async () => ({ ready: backlog < 1000, details: { backlog } }) });
 * }
 * ```
 */
export interface ReadinessReport {
  readonly ready: boolean;
  readonly details?: Readonly<Record<string, unknown>>;
}

export interface ReadinessCheck {
  /** Unique; names the check in the answer of /health/ready. */
  readonly name: string;
  check(): Promise<ReadinessReport>;
}

export interface ReadinessAnswer {
  readonly ready: boolean;
  readonly draining: boolean;
  readonly checks: Readonly<Record<string, ReadinessReport & { readonly error?: string }>>;
}

/** A check that does not answer within this long counts as failed, so a hung dependency cannot hang the probe. */
const CHECK_TIMEOUT_MS = 2000;

@Injectable()
export class Readiness {
  private readonly checks = new Map<string, ReadinessCheck>();
  private drainingSince: number | undefined;

  register(check: ReadinessCheck): void {
    if (this.checks.has(check.name)) throw new Error(`readiness check ${JSON.stringify(check.name)} is registered twice`);
    this.checks.set(check.name, check);
  }

  /** From now on the instance answers "not ready" (shutdown has begun). */
  startDraining(): void {
    this.drainingSince ??= Date.now();
  }

  get draining(): boolean {
    return this.drainingSince !== undefined;
  }

  async evaluate(): Promise<ReadinessAnswer> {
    const entries = await Promise.all(
      [...this.checks.values()].map(async (check): Promise<[string, ReadinessReport & { error?: string }]> => {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, fail) => {
          timer = setTimeout(() => fail(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
        });
        try {
          return [check.name, await Promise.race([check.check(), timeout])];
        } catch (error) {
          return [check.name, { ready: false, error: error instanceof Error ? error.message : String(error) }];
        } finally {
          clearTimeout(timer);
        }
      }),
    );
    const checks = Object.fromEntries(entries);
    return { ready: !this.draining && entries.every(([, report]) => report.ready), draining: this.draining, checks };
  }
}
