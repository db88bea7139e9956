import { Inject, Injectable } from '@nestjs/common';
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '@app/platform';

/**
 * scrypt (memory-hard; in Node's crypto, no native add-on to build). Stored as `scrypt$N$r$p$salt$hash` so the cost can
 * rise later without breaking existing hashes. Default cost 2^15 with r=8: 32 MiB per hash.
 */
const derive = (password: string, salt: Buffer, N: number, r: number, p: number) =>
  new Promise<Buffer>((resolve, reject) =>
    scrypt(password, salt, 32, { N, r, p, maxmem: 256 * 1024 * 1024 }, (error, key) => (error ? reject(error) : resolve(key))),
  );

@Injectable()
export class PasswordHasher {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async hash(password: string): Promise<string> {
    const N = 2 ** this.config.passwordHashCost;
    const salt = randomBytes(16);
    const key = await derive(password, salt, N, 8, 1);
    return `scrypt$${N}$8$1$${salt.toString('base64')}$${key.toString('base64')}`;
  }

  async verify(password: string, stored: string): Promise<boolean> {
    const [scheme, N, r, p, salt, hash] = stored.split('$');
    if (scheme !== 'scrypt') return false;
    const expected = Buffer.from(hash, 'base64');
    const key = await derive(password, Buffer.from(salt, 'base64'), Number(N), Number(r), Number(p));
    return key.length === expected.length && timingSafeEqual(key, expected);
  }
}
