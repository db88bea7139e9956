/**
 * Outside witnesses for our checkpoints (E6, C2SP tlog-witness). Each checkpoint this instance signs is submitted to
 * every configured witness with a consistency proof from the size that witness last cosigned; a 409 tells us the
 * witness's size, and the request is retried once from there. Cosignatures that verify under the configured witness key
 * are stored and appended to the checkpoint wherever we serve it (public checkpoint, evidence bundles).
 *
 * AUDIT_WITNESSES: comma-separated `<cosigner vkey>@<submission URL prefix>`, the vkey being
 * `<name>+<hex key id>+<base64(0x04 || Ed25519 key)>` as the witness prints it.
 */
import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '@app/common';
import { LogDatabase } from '@app/event-store';
import { APP_CONFIG, AppConfig, ConfigError, JsonLogger } from '@app/platform';
import { Cosigner, cosignatureTime, parseCosignerKey } from '../domain/cosignature';
import { buildConsistencyProof } from '../domain/proof-builder';
import { formatAddCheckpoint, TLOG_SIZE_MEDIA_TYPE } from '../domain/witness';
import { CheckpointRecord, PgAuditStore } from '../infrastructure/pg-audit-store';
import { AuditSealerService } from './audit-sealer.service';

export interface ConfiguredWitness {
  readonly cosigner: Cosigner;
  readonly cosignerKey: string;
  readonly url: string;
}

export const parseWitnessList = (raw: string | undefined): ConfiguredWitness[] => {
  const problems: string[] = [];
  const witnesses = (raw ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .flatMap((entry) => {
      const at = entry.indexOf('@');
      const key = parseCosignerKey(at < 0 ? entry : entry.slice(0, at));
      const url = at < 0 ? '' : entry.slice(at + 1).replace(/\/+$/, '');
      if (!key.ok) problems.push(`AUDIT_WITNESSES entry ${JSON.stringify(entry)}: ${key.reason}`);
      else if (!/^https?:\/\/[^\s]+$/.test(url))
        problems.push(`AUDIT_WITNESSES entry ${JSON.stringify(entry)}: expected <cosigner key>@<http(s) URL>`);
      return key.ok && /^https?:\/\//.test(url) ? [{ cosigner: key.value, cosignerKey: entry.slice(0, at), url }] : [];
    });
  if (problems.length > 0) throw new ConfigError(problems);
  return witnesses;
};

type Outcome = 'cosigned' | 'refused' | 'unreachable' | 'ahead';

@Injectable()
export class WitnessCosigningService {
  readonly witnesses: readonly ConfiguredWitness[];
  private readonly store: PgAuditStore;
  private readonly timeoutMs: number;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly events: LogDatabase,
    private readonly logger: JsonLogger,
    private readonly clock: Clock,
    sealer: AuditSealerService,
  ) {
    this.witnesses = parseWitnessList(config.env.AUDIT_WITNESSES);
    const timeout = Number(config.env.AUDIT_WITNESS_TIMEOUT_MS ?? 5000);
    if (!Number.isInteger(timeout) || timeout < 1)
      throw new ConfigError([
        `AUDIT_WITNESS_TIMEOUT_MS=${JSON.stringify(config.env.AUDIT_WITNESS_TIMEOUT_MS)}: expected a positive integer`,
      ]);
    this.timeoutMs = timeout;
    this.store = new PgAuditStore(events);
    if (this.witnesses.length > 0) sealer.onCheckpoint((checkpoint) => void this.submit(checkpoint));
  }

  /** Submits a checkpoint to every witness (one checkpoint at a time, in signing order); resolves with each outcome. */
  submit(checkpoint: CheckpointRecord): Promise<Record<string, Outcome>> {
    const run = this.queue.then(async () => {
      const outcomes = await Promise.all(this.witnesses.map((witness) => this.submitTo(witness, checkpoint)));
      return Object.fromEntries(this.witnesses.map((witness, i) => [witness.cosigner.name, outcomes[i]]));
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Resolves when every submission queued so far has finished. */
  async settled(): Promise<void> {
    await this.queue;
  }

  /** The checkpoint's signed note with the stored witness cosignatures appended as further signature lines. */
  async noteWithCosignatures(checkpoint: CheckpointRecord): Promise<string> {
    const { rows } = await this.events.query<{ signature_line: string }>(
      'SELECT signature_line FROM audit_cosignatures WHERE tree_size = $1 ORDER BY witness, key_id',
      [checkpoint.treeSize],
    );
    return checkpoint.note + rows.map((row) => `${row.signature_line}\n`).join('');
  }

  private async knownSize(witness: ConfiguredWitness): Promise<number> {
    const { rows } = await this.events.query<{ size: string }>('SELECT size FROM audit_witness_sizes WHERE witness = $1 AND key_id = $2', [
      witness.cosigner.name,
      witness.cosigner.keyId.toString('hex'),
    ]);
    return rows[0] ? Number(rows[0].size) : 0;
  }

  private async rememberSize(witness: ConfiguredWitness, size: number): Promise<void> {
    await this.events.query(
      `INSERT INTO audit_witness_sizes (witness, key_id, size, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (witness, key_id) DO UPDATE SET size = excluded.size, updated_at = excluded.updated_at`,
      [witness.cosigner.name, witness.cosigner.keyId.toString('hex'), size, this.clock.now()],
    );
  }

  private async submitTo(witness: ConfiguredWitness, checkpoint: CheckpointRecord): Promise<Outcome> {
    const log = (level: 'info' | 'warn', msg: string, extra: Record<string, unknown> = {}) =>
      this.logger.event(level, 'audit', { msg, witness: witness.cosigner.name, treeSize: checkpoint.treeSize, ...extra });
    let oldSize = await this.knownSize(witness);
    // A stale view is corrected by the witness's 409 once; a second 409 means someone else moves it, so try next time.
    for (let attempt = 0; attempt < 2; attempt += 1) {
      if (oldSize > checkpoint.treeSize) return 'ahead';
      const proof =
        oldSize > 0 && oldSize < checkpoint.treeSize ? await buildConsistencyProof(this.store.reader(), oldSize, checkpoint.treeSize) : [];
      let response: Response;
      try {
        response = await fetch(`${witness.url}/add-checkpoint`, {
          method: 'POST',
          body: formatAddCheckpoint({ oldSize, proof, note: checkpoint.note }),
          headers: { 'Content-Type': 'text/plain; charset=utf-8' },
          signal: AbortSignal.timeout(this.timeoutMs),
        });
      } catch (error) {
        log('warn', 'witness unreachable', { error: error instanceof Error ? error.message : String(error) });
        return 'unreachable';
      }
      const body = await response.text().catch(() => '');
      if (
        response.status === 409 &&
        response.headers.get('content-type')?.startsWith(TLOG_SIZE_MEDIA_TYPE) &&
        /^(0|[1-9][0-9]*)\n$/.test(body)
      ) {
        const size = Number(body.trim());
        await this.rememberSize(witness, size);
        if (size === oldSize) {
          log('warn', 'witness refused the checkpoint: it holds a different root at this size (a fork?)');
          return 'refused';
        }
        oldSize = size;
        continue;
      }
      if (response.status !== 200) {
        log('warn', 'witness refused the checkpoint', { status: response.status, reason: body.slice(0, 300) });
        return 'refused';
      }
      return (await this.keep(witness, checkpoint, body)) ? 'cosigned' : 'refused';
    }
    return 'refused';
  }

  /** Keeps the witness's cosignature line if it verifies over our checkpoint; unknown keys' lines are ignored. */
  private async keep(witness: ConfiguredWitness, checkpoint: CheckpointRecord, body: string): Promise<boolean> {
    const line = body.split('\n').find((candidate) => {
      const time = cosignatureTime(`${checkpoint.note}${candidate}\n`, witness.cosigner);
      return candidate.startsWith('\u2014 ') && time.ok && time.value !== null;
    });
    if (!line) {
      this.logger.event('warn', 'audit', {
        msg: 'witness answered without a valid cosignature by its key',
        witness: witness.cosigner.name,
        treeSize: checkpoint.treeSize,
      });
      return false;
    }
    const time = cosignatureTime(`${checkpoint.note}${line}\n`, witness.cosigner);
    const seconds = time.ok && time.value !== null ? time.value : 0;
    await this.events.query(
      `INSERT INTO audit_cosignatures (tree_size, witness, key_id, signature_line, cosigned_at, received_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT DO NOTHING`,
      [
        checkpoint.treeSize,
        witness.cosigner.name,
        witness.cosigner.keyId.toString('hex'),
        line,
        new Date(seconds * 1000),
        this.clock.now(),
      ],
    );
    await this.rememberSize(witness, checkpoint.treeSize);
    return true;
  }
}
