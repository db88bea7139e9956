/** The application's configuration, read from the environment and validated at start-up. */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Configuration from the environment, validated once at start-up. Every bad value is reported with its variable name,
 * what was given and what is expected; the process refuses to start rather than run half-configured.
 */
export interface AppConfig {
  readonly port: number;
  readonly host: string;
  /** Unset: an embedded PostgreSQL is started from `dataDir`. */
  readonly databaseUrl?: string;
  /** Set: reads of read models may be served by this streaming replica of `databaseUrl` (see read-replica.ts). */
  readonly databaseReplicaUrl?: string;
  /** How long a read waits for the replica to replay the caller's last write before the primary serves it. */
  readonly replicaMaxWaitMs: number;
  readonly dataDir: string;
  readonly embeddedPostgresPort: number;
  readonly jwtSecret: string;
  /** Earlier signing secrets (JWT_PREVIOUS_SECRETS): tokens they signed are still accepted; none signs. */
  readonly jwtPreviousSecrets: readonly string[];
  readonly jwtTtlSeconds: number;
  readonly passwordHashCost: number;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error';
  readonly bootstrapAdminEmail?: string;
  readonly bootstrapAdminPassword?: string;
  readonly projectionPollMs: number;
  /**
   * Whether missing secrets may be generated into the data folder: only for the embedded server outside production.
   * With a shared database every instance must be given the same secrets (see `REQUIRED_SECRETS`).
   */
  readonly generatedSecrets: boolean;
  /** On SIGTERM: how long readiness answers 503 before the listener closes (for a load balancer to notice). */
  readonly shutdownDelayMs: number;
  /** On SIGTERM: how long requests in flight may take to finish before their connections are closed. */
  readonly shutdownTimeoutMs: number;
  /** Free-form settings of the contexts (e.g. AUDIT_*, PII_*, TIP_*), read by their modules with their own checks. */
  readonly env: Readonly<Record<string, string | undefined>>;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const integer = (env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number, problems: string[]): number => {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    problems.push(`${name}=${JSON.stringify(raw)}: expected an integer from ${min} to ${max}`);
    return fallback;
  }
  return value;
};

const oneOf = <T extends string>(env: NodeJS.ProcessEnv, name: string, allowed: readonly T[], fallback: T, problems: string[]): T => {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    problems.push(`${name}=${JSON.stringify(raw)}: expected one of ${allowed.join(', ')}`);
    return fallback;
  }
  return raw as T;
};

/**
 * A development secret kept in the data folder so that a restart without configuration keeps sessions valid. Only for
 * the embedded server (`AppConfig.generatedSecrets`); `loadConfig` refuses to start without the configured ones
 * otherwise.
 */
export const persistentSecret = (dataDir: string, file: string, bytes = 32): string => {
  const path = resolve(dataDir, file);
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true, mode: 0o755 });
  const secret = randomBytes(bytes).toString('base64');
  writeFileSync(path, `${secret}\n`, { mode: 0o600 });
  return secret;
};

/**
 * The secrets every instance sharing a database must share: tokens signed by one are checked by another, the vault
 * one wraps is opened by another, checkpoints are signed by one key, and provider notifications are checked by all.
 * Each entry names the variables any of which supplies it.
 */
export const REQUIRED_SECRETS: readonly { readonly names: readonly string[]; readonly what: string }[] = [
  { names: ['JWT_SECRET'], what: 'signs access tokens' },
  { names: ['PII_MASTER_KEYS', 'PII_MASTER_KEY'], what: "wraps each investor's personal-data key" },
  { names: ['AUDIT_SIGNING_KEY'], what: "signs the audit log's checkpoints" },
  { names: ['PAYMENTS_SANDBOX_SECRET'], what: "checks the payment provider's signed notifications" },
];

export const loadConfig = (env: NodeJS.ProcessEnv = process.env): AppConfig => {
  const problems: string[] = [];
  const dataDir = resolve(env.DATA_DIR || '.data');
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push(`DATABASE_URL: expected a postgres:// or postgresql:// URL`);
  }
  const databaseReplicaUrl = env.DATABASE_REPLICA_URL || undefined;
  if (databaseReplicaUrl && !/^postgres(ql)?:\/\//.test(databaseReplicaUrl))
    problems.push('DATABASE_REPLICA_URL: expected a postgres:// or postgresql:// URL');
  if (databaseReplicaUrl && !databaseUrl)
    problems.push('DATABASE_REPLICA_URL: set DATABASE_URL too (the replica is a standby of that primary)');
  if (env.EVENT_STORE && env.EVENT_STORE !== 'postgres') {
    problems.push(
      `EVENT_STORE=${JSON.stringify(env.EVENT_STORE)}: the API runs on PostgreSQL only (idempotency records and projections share its transactions); ` +
        'the EventStoreDB adapter is exercised by the contract suite with EVENTSTORE_URL',
    );
  }
  const generatedSecrets = !databaseUrl && env.NODE_ENV !== 'production';
  if (!generatedSecrets) {
    const why = databaseUrl ? 'DATABASE_URL is set' : 'NODE_ENV=production';
    for (const secret of REQUIRED_SECRETS) {
      if (!secret.names.some((name) => env[name])) {
        problems.push(`${secret.names.join(' or ')}: required because ${why} (${secret.what}; every instance needs the same value)`);
      }
    }
  }
  const jwtSecret = env.JWT_SECRET || undefined;
  if (jwtSecret !== undefined && jwtSecret.length < 32) problems.push('JWT_SECRET: expected at least 32 characters');
  const jwtPreviousSecrets = (env.JWT_PREVIOUS_SECRETS ?? '')
    .split(',')
    .map((secret) => secret.trim())
    .filter(Boolean);
  if (jwtPreviousSecrets.some((secret) => secret.length < 32))
    problems.push('JWT_PREVIOUS_SECRETS: expected comma-separated secrets of at least 32 characters each');
  const bootstrapAdminEmail = env.BOOTSTRAP_ADMIN_EMAIL || undefined;
  const bootstrapAdminPassword = env.BOOTSTRAP_ADMIN_PASSWORD || undefined;
  if (Boolean(bootstrapAdminEmail) !== Boolean(bootstrapAdminPassword)) {
    problems.push('BOOTSTRAP_ADMIN_EMAIL and BOOTSTRAP_ADMIN_PASSWORD: set both or neither');
  }
  if (bootstrapAdminPassword && bootstrapAdminPassword.length < 12) {
    problems.push('BOOTSTRAP_ADMIN_PASSWORD: expected at least 12 characters');
  }
  const config: AppConfig = {
    port: integer(env, 'PORT', 3000, 0, 65535, problems),
    host: env.HOST || '0.0.0.0',
    databaseUrl,
    databaseReplicaUrl,
    replicaMaxWaitMs: integer(env, 'REPLICA_MAX_WAIT_MS', 200, 0, 60000, problems),
    dataDir,
    embeddedPostgresPort: integer(env, 'EMBEDDED_PG_PORT', 54329, 1024, 65535, problems),
    jwtSecret: '',
    jwtPreviousSecrets,
    jwtTtlSeconds: integer(env, 'JWT_TTL_SECONDS', 3600, 60, 86400 * 30, problems),
    // 17: scrypt N=2^17, r=8, p=1, OWASP's minimum for scrypt; tests lower it for speed.
    passwordHashCost: integer(env, 'PASSWORD_HASH_COST', 17, 10, 20, problems),
    logLevel: oneOf(env, 'LOG_LEVEL', ['debug', 'info', 'warn', 'error'] as const, 'info', problems),
    bootstrapAdminEmail,
    bootstrapAdminPassword,
    projectionPollMs: integer(env, 'PROJECTION_POLL_MS', 200, 10, 60000, problems),
    generatedSecrets,
    shutdownDelayMs: integer(env, 'SHUTDOWN_DELAY_MS', 0, 0, 120_000, problems),
    shutdownTimeoutMs: integer(env, 'SHUTDOWN_TIMEOUT_MS', 10_000, 0, 600_000, problems),
    env: { ...env },
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return { ...config, jwtSecret: jwtSecret ?? persistentSecret(dataDir, 'jwt-secret') };
};
