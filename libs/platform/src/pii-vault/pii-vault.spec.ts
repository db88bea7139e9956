import { randomBytes } from 'node:crypto';
import { ConfigError } from '../config';
import { InMemoryPiiVaultStore, PiiVault, parseMasterKey } from './pii-vault';
import { piiMasterKey } from './pii-vault.module';

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
    expect(piiMasterKey({ dataDir: '/nonexistent', env: { PII_MASTER_KEY: key.toString('base64') } }).equals(key)).toBe(true);
    expect(() => piiMasterKey({ dataDir: '/nonexistent', env: { PII_MASTER_KEY: randomBytes(16).toString('base64') } })).toThrow(ConfigError);
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
