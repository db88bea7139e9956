import { randomBytes } from 'node:crypto';
import { ConfigError } from '../config';
import { InMemoryPiiVaultStore, PiiVault, parseMasterKey, parseMasterKeys } from './pii-vault';
import { piiMasterKeys } from './pii-vault.module';

const pii = { legalName: '张三', nationalId: '11010519491231002X', mobile: '13812345678' };

describe('E3 personal-data vault', () => {
  const setup = () => {
    const store = new InMemoryPiiVaultStore();
    return { store, vault: new PiiVault(store, randomBytes(32)) };
  };

  it('seals personal data per investor and reads it back by reference', async () => {
    const { store, vault } = setup();
    const ref = await vault.put('inv-1', 'r1', pii);
    expect(ref).toBe('pii:inv-1:r1');
    expect(await vault.read(ref)).toEqual({ status: 'available', pii });
    const stored = store.records.get(ref)!.sealed.ciphertext.toString('latin1');
    expect(stored).not.toContain('13812345678');
  });

  it('gives each investor their own data key', async () => {
    const { store, vault } = setup();
    await vault.put('inv-1', 'r1', pii);
    await vault.put('inv-2', 'r1', pii);
    expect(store.keys.get('inv-1')!.ciphertext.equals(store.keys.get('inv-2')!.ciphertext)).toBe(false);
  });

  it('crypto-shredding one investor makes only their records unreadable', async () => {
    const { vault } = setup();
    const mine = await vault.put('inv-1', 'r1', pii);
    const theirs = await vault.put('inv-2', 'r1', pii);
    expect(await vault.shred('inv-1')).toBe(true);
    expect(await vault.read(mine)).toEqual({ status: 'shredded' });
    expect(await vault.read(theirs)).toMatchObject({ status: 'available' });
    expect(await vault.shred('inv-1')).toBe(false);
  });

  it('refuses a record moved to another reference (the reference is authenticated data)', async () => {
    const { store, vault } = setup();
    const ref = await vault.put('inv-1', 'r1', pii);
    store.records.set('pii:inv-1:r2', store.records.get(ref)!);
    await expect(vault.read('pii:inv-1:r2')).rejects.toThrow();
  });

  it('cannot unwrap keys under another master key', async () => {
    const store = new InMemoryPiiVaultStore();
    const ref = await new PiiVault(store, randomBytes(32)).put('inv-1', 'r1', pii);
    await expect(new PiiVault(store, randomBytes(32)).read(ref)).rejects.toThrow();
  });

  it('accepts only 32-byte master keys', () => {
    expect(parseMasterKey(randomBytes(32).toString('base64'))).toHaveLength(32);
    expect(() => parseMasterKey(randomBytes(16).toString('base64'))).toThrow('32 bytes');
  });

  it('E3: the master key comes from PII_MASTER_KEY and must be 32 bytes', () => {
    const key = randomBytes(32);
    expect(piiMasterKeys({ dataDir: '/nonexistent', env: { PII_MASTER_KEY: key.toString('base64') } })).toEqual({
      currentId: 'default',
      keys: new Map([['default', key]]),
    });
    expect(() => piiMasterKeys({ dataDir: '/nonexistent', env: { PII_MASTER_KEY: randomBytes(16).toString('base64') } })).toThrow(
      ConfigError,
    );
  });

  it('reads many records at once: available, shredded and missing alike', async () => {
    const { vault } = setup();
    const mine = await vault.put('inv-1', 'r1', pii);
    const registration = await vault.put('inv-1', 'r2', { email: 'a@example.com', displayName: 'A' });
    const theirs = await vault.put('inv-2', 'r1', pii);
    await vault.shred('inv-2');
    const reads = await vault.readMany([mine, registration, theirs, 'pii:inv-3:r1']);
    expect(Object.fromEntries(reads)).toEqual({
      [mine]: { status: 'available', pii },
      [registration]: { status: 'available', pii: { email: 'a@example.com', displayName: 'A' } },
      [theirs]: { status: 'shredded' },
      'pii:inv-3:r1': { status: 'missing' },
    });
  });
});

describe('E3 master key rotation', () => {
  const ring = (currentId: string, entries: [string, Buffer][]) => ({ currentId, keys: new Map(entries) });
  const oldKey = randomBytes(32);
  const newKey = randomBytes(32);

  it('reads data wrapped under the old master key after rotation, and wraps new keys under the new one', async () => {
    const store = new InMemoryPiiVaultStore();
    const before = await new PiiVault(store, ring('2026a', [['2026a', oldKey]])).put('inv-1', 'r1', pii);
    expect(store.keys.get('inv-1')!.keyId).toBe('2026a');

    const rotated = new PiiVault(
      store,
      ring('2026b', [
        ['2026b', newKey],
        ['2026a', oldKey],
      ]),
    );
    expect(await rotated.read(before)).toEqual({ status: 'available', pii });
    const after = await rotated.put('inv-2', 'r1', pii);
    expect(store.keys.get('inv-2')!.keyId).toBe('2026b');
    expect(await new PiiVault(store, ring('2026b', [['2026b', newKey]])).read(after)).toEqual({ status: 'available', pii });
  });

  it('opens keys wrapped before key ids were recorded with whichever configured master key wrapped them', async () => {
    const store = new InMemoryPiiVaultStore();
    const ref = await new PiiVault(store, oldKey).put('inv-1', 'r1', pii);
    const { keyId: _dropped, ...unlabelled } = store.keys.get('inv-1')!;
    store.keys.set('inv-1', unlabelled);
    expect(
      await new PiiVault(
        store,
        ring('2026b', [
          ['2026b', newKey],
          ['old', oldKey],
        ]),
      ).read(ref),
    ).toEqual({ status: 'available', pii });
  });

  it('names a retired master key that is still needed instead of reading garbage', async () => {
    const store = new InMemoryPiiVaultStore();
    const ref = await new PiiVault(store, ring('2026a', [['2026a', oldKey]])).put('inv-1', 'r1', pii);
    await expect(new PiiVault(store, ring('2026b', [['2026b', newKey]])).read(ref)).rejects.toThrow(/master key "2026a" is not configured/);
  });

  it('takes PII_MASTER_KEYS as "id:base64" entries, the first (or PII_MASTER_KEY_ID) being current', () => {
    const env = { PII_MASTER_KEYS: `2026b:${newKey.toString('base64')}, 2026a:${oldKey.toString('base64')}` };
    const problems: string[] = [];
    const parsed = parseMasterKeys(env, () => 'unused', problems);
    expect(problems).toEqual([]);
    expect(parsed.currentId).toBe('2026b');
    expect(parsed.keys.get('2026a')!.equals(oldKey)).toBe(true);
    expect(parseMasterKeys({ ...env, PII_MASTER_KEY_ID: '2026a' }, () => 'unused', problems).currentId).toBe('2026a');
    expect(parseMasterKeys({ PII_MASTER_KEY: oldKey.toString('base64') }, () => 'unused', problems)).toEqual({
      currentId: 'default',
      keys: new Map([['default', oldKey]]),
    });
  });

  it('reports each malformed key setting on a line of its own', () => {
    const problems: string[] = [];
    parseMasterKeys(
      {
        PII_MASTER_KEYS: `a:${randomBytes(16).toString('base64')},nocolon,b:${newKey.toString('base64')}`,
        PII_MASTER_KEY_ID: 'c',
        PII_MASTER_KEY: 'x',
      },
      () => 'unused',
      problems,
    );
    expect(problems).toEqual([
      expect.stringMatching(/^PII_MASTER_KEY and PII_MASTER_KEYS: set one/),
      expect.stringMatching(/^PII_MASTER_KEYS: key "a" must be 32 bytes/),
      expect.stringMatching(/^PII_MASTER_KEYS: expected "id:base64"/),
      expect.stringMatching(/^PII_MASTER_KEY_ID="c": no such id/),
    ]);
  });
});

describe('E3 re-wrapping after a master key rotation', () => {
  it('re-wraps every data key under the current master key, after which the old one is no longer needed', async () => {
    const store = new InMemoryPiiVaultStore();
    const oldKey = randomBytes(32);
    const newKey = randomBytes(32);
    const refs = [await new PiiVault(store, oldKey).put('inv-1', 'r1', pii), await new PiiVault(store, oldKey).put('inv-2', 'r1', pii)];
    const rotated = new PiiVault(store, {
      currentId: 'k2',
      keys: new Map([
        ['k2', newKey],
        ['default', oldKey],
      ]),
    });
    expect(await rotated.rewrapAll(1)).toBe(2);
    expect(await rotated.rewrapAll()).toBe(0);
    const onlyNew = new PiiVault(store, { currentId: 'k2', keys: new Map([['k2', newKey]]) });
    for (const ref of refs) expect(await onlyNew.read(ref)).toEqual({ status: 'available', pii });
  });
});
