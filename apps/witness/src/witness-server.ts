/**
 * A small C2SP tlog-witness (E6): an HTTP server that keeps, per log origin, the latest checkpoint it cosigned, in a
 * file in its data folder, and cosigns a new checkpoint only if the log's signature verifies and it is consistent with
 * that one. Check and store happen under one lock and the store is durable (written aside, synced, renamed) before
 * the cosignature is returned, so two racing requests cannot roll the witness back. Requests that are signed by a
 * trusted log but refused (a fork, a rollback) are appended to `refused.log` in the data folder: they are evidence.
 */
import { createPrivateKey, KeyObject, randomBytes } from 'node:crypto';
import { appendFileSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  cosignerKeyOf,
  decideAddCheckpoint,
  ed25519PrivateKeyFromSeed,
  ed25519TimestampSigner,
  NoteVerifier,
  parseAddCheckpoint,
  parseVerifierKey,
  TLOG_SIZE_MEDIA_TYPE,
  WitnessedCheckpoint,
} from '@app/audit';

export interface WitnessOptions {
  /** The witness's name, its cosignature key name (a schema-less URL, e.g. witness.example/w1). */
  readonly name: string;
  readonly dataDir: string;
  /** Verifier keys of the logs it witnesses; each key's name is the log's origin. */
  readonly logKeys: readonly string[];
  readonly port: number;
  readonly host?: string;
  /** The clock for cosignature timestamps (POSIX seconds). */
  readonly now?: () => number;
}

export interface RunningWitness {
  readonly url: string;
  /** "<name>+<key id>+<base64(0x04 || key)>": configure the log (AUDIT_WITNESSES) and verifiers with it. */
  readonly cosignerKey: string;
  close(): Promise<void>;
}

const MAX_BODY = 64 * 1024;

/** The witness key: a 32-byte seed in `<data>/witness-key`, generated on first start. */
const loadKey = (dataDir: string): KeyObject => {
  const path = join(dataDir, 'witness-key');
  if (!existsSync(path)) writeDurably(path, `${randomBytes(32).toString('base64')}\n`, 0o600);
  const seed = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
  return seed.length === 32 ? ed25519PrivateKeyFromSeed(seed) : createPrivateKey({ key: seed, format: 'der', type: 'pkcs8' });
};

const writeDurably = (path: string, content: string, mode = 0o644): void => {
  const aside = `${path}.${process.pid}.tmp`;
  const fd = openSync(aside, 'w', mode);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(aside, path);
};

type StoredState = Record<string, { size: number; rootHash: string; note: string; cosignedAt: string }>;

export const startWitness = async (options: WitnessOptions): Promise<RunningWitness> => {
  mkdirSync(options.dataDir, { recursive: true });
  const key = loadKey(options.dataDir);
  const statePath = join(options.dataDir, 'witness-state.json');
  const state: StoredState = existsSync(statePath) ? (JSON.parse(readFileSync(statePath, 'utf8')) as StoredState) : {};
  const trusted = new Map<string, NoteVerifier[]>();
  for (const vkey of options.logKeys) {
    const parsed = parseVerifierKey(vkey);
    if (!parsed.ok) throw new Error(`log key ${vkey}: ${parsed.reason}`);
    trusted.set(parsed.value.name, [...(trusted.get(parsed.value.name) ?? []), parsed.value]);
  }
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  let queue: Promise<unknown> = Promise.resolve();

  const addCheckpoint = (body: string): { status: number; type: string; body: string } => {
    const request = parseAddCheckpoint(body);
    if (!request.ok) return { status: 400, type: 'text/plain', body: `${request.reason}\n` };
    const origin = request.value.note.slice(0, request.value.note.indexOf('\n'));
    const held = state[origin];
    const latest: WitnessedCheckpoint | undefined = held && { origin, size: held.size, rootHash: Buffer.from(held.rootHash, 'base64') };
    const outcome = decideAddCheckpoint(request.value, trusted, latest);
    if (outcome.status === 409 || outcome.status === 422) {
      appendFileSync(
        join(options.dataDir, 'refused.log'),
        `${JSON.stringify({ at: new Date(now() * 1000).toISOString(), status: outcome.status, reason: outcome.reason, body })}\n`,
      );
    }
    if (outcome.status === 409) return { status: 409, type: TLOG_SIZE_MEDIA_TYPE, body: `${outcome.knownSize}\n` };
    if (outcome.status !== 200) return { status: outcome.status, type: 'text/plain', body: `${outcome.reason}\n` };
    const timestamp = now();
    state[origin] = {
      size: outcome.checkpoint.size,
      rootHash: outcome.checkpoint.rootHash.toString('base64'),
      note: request.value.note,
      cosignedAt: new Date(timestamp * 1000).toISOString(),
    };
    writeDurably(statePath, `${JSON.stringify(state, null, 2)}\n`);
    const signer = ed25519TimestampSigner(options.name, key, timestamp);
    const signature = Buffer.concat([signer.keyId, signer.sign(Buffer.from(outcome.text, 'utf8'))]).toString('base64');
    return { status: 200, type: 'text/plain; charset=utf-8', body: `\u2014 ${options.name} ${signature}\n` };
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const answer = (status: number, type: string, body: string) => {
      res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
      res.end(body);
    };
    if (req.url !== '/add-checkpoint') return answer(404, 'text/plain', 'not found\n');
    if (req.method !== 'POST') return answer(405, 'text/plain', 'use POST\n');
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        answer(413, 'text/plain', 'request body too large\n');
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_BODY) return;
      // One request at a time: the check against the stored checkpoint and the store of the new one are atomic.
      queue = queue.then(() => {
        try {
          const result = addCheckpoint(Buffer.concat(chunks).toString('utf8'));
          answer(result.status, result.type, result.body);
        } catch (error) {
          console.error(error);
          answer(500, 'text/plain', 'internal error\n');
        }
      });
    });
  };

  const server: Server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(options.port, options.host ?? '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${address.port}`,
    cosignerKey: cosignerKeyOf(key, options.name),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
};
