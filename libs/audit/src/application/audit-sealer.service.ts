/**
 * Runs the sealer inside the API process: started at bootstrap, stopped at shutdown, nudged by local appends so sealing
 * follows the log closely without polling hard. Several instances may run it; the advisory lock makes one seal at a time.
 */
import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Clock } from '@app/common';
import { EventStore, LogDatabase } from '@app/event-store';
import { APP_CONFIG, AppConfig, ConfigError, JsonLogger } from '@app/platform';
import { AuditSealer } from '../infrastructure/audit-sealer';
import { CheckpointRecord } from '../infrastructure/pg-audit-store';
import { AuditSigning } from '../infrastructure/signing-key';

export const AUDIT_SIGNING = Symbol('AUDIT_SIGNING');

const positiveInt = (env: AppConfig['env'], name: string, fallback: number, problems: string[]): number => {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) problems.push(`${name}=${JSON.stringify(raw)}: expected a positive integer`);
  return Number.isInteger(value) && value >= 1 ? value : fallback;
};

@Injectable()
export class AuditSealerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly sealer: AuditSealer;
  private cancelWake: () => void = () => undefined;
  private readonly enabled: boolean;
  private readonly sealDelayMs: number;
  private nudge: NodeJS.Timeout | undefined;
  private readonly checkpointListeners: ((checkpoint: CheckpointRecord) => void)[] = [];

  constructor(
    @Inject(AUDIT_SIGNING) readonly signing: AuditSigning,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly events: LogDatabase,
    private readonly logger: JsonLogger,
    clock: Clock,
    private readonly log: EventStore,
  ) {
    const problems: string[] = [];
    const checkpointIntervalMs = positiveInt(config.env, 'AUDIT_CHECKPOINT_INTERVAL_MS', 60_000, problems);
    // Local appends wake the sealer at once; the poll only catches other instances' appends, so it can be slow.
    const pollMs = positiveInt(config.env, 'AUDIT_SEAL_POLL_MS', 1000, problems);
    // A busy log is sealed in a few large batches a second rather than one small batch per append: nothing waits on
    // sealing (checkpoints are signed every AUDIT_CHECKPOINT_INTERVAL_MS, exports seal first).
    this.sealDelayMs = positiveInt(config.env, 'AUDIT_SEAL_DELAY_MS', 250, problems);
    if (problems.length > 0) throw new ConfigError(problems);
    // Operator commands run with background work off (PROJECTIONS_DISABLED); they seal explicitly when they need to.
    this.enabled = config.env.AUDIT_SEALER_DISABLED !== 'true' && config.env.PROJECTIONS_DISABLED !== 'true';
    this.sealer = new AuditSealer(events, signing, {
      pollMs,
      checkpointIntervalMs,
      now: () => clock.now(),
      onCheckpoint: (checkpoint) => {
        for (const listener of this.checkpointListeners) listener(checkpoint);
      },
      onError: (error) =>
        this.logger.event('error', 'audit', {
          msg: 'sealing failed; retrying',
          error: error instanceof Error ? error.message : String(error),
        }),
    });
  }

  onApplicationBootstrap(): void {
    this.logger.event('info', 'audit', {
      msg: 'audit log signing key',
      origin: this.signing.origin,
      verifierKey: this.signing.verifierKey,
      source: this.signing.source,
    });
    if (!this.enabled) return;
    this.sealer.start();
    const follow = () => {
      this.nudge ??= setTimeout(() => {
        this.nudge = undefined;
        this.sealer.poke();
      }, this.sealDelayMs);
      this.cancelWake = this.log.onAppend(follow);
    };
    this.cancelWake = this.log.onAppend(follow);
  }

  /** Before the pools close (their hooks run later). */
  async beforeApplicationShutdown(): Promise<void> {
    this.cancelWake();
    clearTimeout(this.nudge);
    await this.sealer.stop();
  }

  /** Calls `listener` with each checkpoint this instance signs. */
  onCheckpoint(listener: (checkpoint: CheckpointRecord) => void): void {
    this.checkpointListeners.push(listener);
  }

  /** Seals everything committed and signs a checkpoint if the tree grew. */
  checkpoint(): Promise<CheckpointRecord | null> {
    return this.sealer.checkpoint();
  }
}
