/** Password hashing with scrypt, its cost raised on login and its concurrency bounded. */
import { Inject, Injectable } from '@nestjs/common';
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { DomainError } from '@app/common';
import { APP_CONFIG, AppConfig, ConfigError } from '@app/platform';

/**
 * scrypt (memory-hard; in Node's crypto, no native add-on to build). Stored as `scrypt$N$r$p$salt$hash` so the cost can
 * rise without breaking existing hashes: a hash below the configured cost is replaced at the owner's next login.
 * Production default N=2^17, r=8, p=1 (OWASP's minimum for scrypt): 128 MiB and roughly half a second of one core per
 * hash here, so at most PASSWORD_HASH_CONCURRENCY hashes run at once and at most PASSWORD_HASH_QUEUE wait; anything
 * beyond is answered 429 AUTH.BUSY at once instead of queueing CPU time and memory a login flood could exhaust.
 */
const R = 8;
const P = 1;

const derive = (password: string, salt: Buffer, N: number, r: number, p: number) =>
  new Promise<Buffer>((resolve, reject) =>
    scrypt(password, salt, 32, { N, r, p, maxmem: 256 * 1024 * 1024 }, (error, key) => (error ? reject(error) : resolve(key))),
  );

const positive = (config: AppConfig, name: string, fallback: number, problems: string[]): number => {
  const raw = config.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 64)
    problems.push(`${name}=${JSON.stringify(raw)}: expected an integer from 1 to 64`);
  return value;
};

export const busy = () =>
  new DomainError('rate_limited', 'AUTH.BUSY', 'too many logins are being checked right now; retry in a moment', undefined, {
    retryAfterSeconds: 1,
  });

@Injectable()
export class PasswordHasher {
  private readonly N: number;
  private readonly concurrency: number;
  private readonly queueLimit: number;
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const problems: string[] = [];
    this.N = 2 ** config.passwordHashCost;
    this.concurrency = positive(config, 'PASSWORD_HASH_CONCURRENCY', 2, problems);
    this.queueLimit = positive(config, 'PASSWORD_HASH_QUEUE', 32, problems);
    if (problems.length) throw new ConfigError(problems);
  }

  /** The parameters new hashes get. */
  get parameters(): { N: number; r: number; p: number } {
    return { N: this.N, r: R, p: P };
  }

  async hash(password: string): Promise<string> {
    const salt = randomBytes(16);
    const key = await this.bounded(() => derive(password, salt, this.N, R, P));
    return `scrypt$${this.N}$${R}$${P}$${salt.toString('base64')}$${key.toString('base64')}`;
  }

  async verify(password: string, stored: string): Promise<boolean> {
    const [scheme, N, r, p, salt, hash] = stored.split('$');
    if (scheme !== 'scrypt') return false;
    const expected = Buffer.from(hash, 'base64');
    const key = await this.bounded(() => derive(password, Buffer.from(salt, 'base64'), Number(N), Number(r), Number(p)));
    return key.length === expected.length && timingSafeEqual(key, expected);
  }

  /** A stored hash made with weaker parameters than new hashes get. */
  needsRehash(stored: string): boolean {
    const [scheme, N, r, p] = stored.split('$');
    return scheme !== 'scrypt' || Number(N) < this.N || Number(r) < R || Number(p) < P;
  }

  /** A hash to verify against when there is no account, at the cost a real one has, so timing does not tell. */
  decoy(): string {
    return `scrypt$${this.N}$${R}$${P}$AAAAAAAAAAAAAAAAAAAAAA==$AAAA`;
  }

  private async bounded<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.queueLimit) throw busy();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
