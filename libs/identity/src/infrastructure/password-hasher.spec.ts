import { DomainError } from '@app/common';
import { loadConfig } from '@app/platform';
import { PasswordHasher } from './password-hasher';

const hasher = (env: Record<string, string> = {}) =>
  new PasswordHasher(loadConfig({ DATA_DIR: '.data/test-config', JWT_SECRET: 'x'.repeat(32), ...env }));

describe('PasswordHasher', () => {
  it("hashes at OWASP's minimum for scrypt by default (N=2^17, r=8, p=1)", async () => {
    const production = hasher();
    expect(production.parameters).toEqual({ N: 2 ** 17, r: 8, p: 1 });
    const stored = await production.hash('a-long-enough-password');
    expect(stored).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect(production.needsRehash(stored)).toBe(false);
  });

  it('asks for a rehash of anything weaker than what new hashes get, and still verifies it', async () => {
    const old = await hasher({ PASSWORD_HASH_COST: '10' }).hash('pw-of-some-length');
    const current = hasher({ PASSWORD_HASH_COST: '11' });
    expect(current.needsRehash(old)).toBe(true);
    expect(await current.verify('pw-of-some-length', old)).toBe(true);
    expect(await current.verify('another-password', old)).toBe(false);
    expect(current.needsRehash(await current.hash('x'))).toBe(false);
  });

  it('runs at most PASSWORD_HASH_CONCURRENCY hashes, queues PASSWORD_HASH_QUEUE more and refuses the rest at once with 429 AUTH.BUSY', async () => {
    const bounded = hasher({ PASSWORD_HASH_COST: '14', PASSWORD_HASH_CONCURRENCY: '1', PASSWORD_HASH_QUEUE: '1' });
    const outcomes = await Promise.allSettled([bounded.hash('a'), bounded.hash('b'), bounded.hash('c')]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    const refusal = (outcomes[2] as PromiseRejectedResult).reason as DomainError;
    expect(refusal).toMatchObject({ kind: 'rate_limited', code: 'AUTH.BUSY', details: { retryAfterSeconds: 1 } });
    // Once the queue drains, hashing goes on.
    await expect(bounded.hash('d')).resolves.toMatch(/^scrypt\$16384\$/);
  });
});
