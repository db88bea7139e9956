/**
 * Personal data given at registration (email, display name, date of birth) lives in the vault, not in the permanent
 * log (E3): the registration event references it, the read model and sign-in still work, registrations written before
 * the vault held them are upcast on read with their stored bytes and hashes untouched, and shredding a person erases
 * their identity data too while `audit verify` still passes.
 */
import { eventHash } from '@app/common';
import { AUDIT_SIGNING, AuditSigning, checkShredding, parseVerifierKey, verifyAuditLog } from '@app/audit';
import { PgEventStore } from '@app/event-store';
import { USER_REGISTERED, userStream } from '@app/identity';
import { PiiVault, ProjectionRunner } from '@app/platform';
import { createTestApp, TestApp } from './support/app';
import { auth, registerStaff, Staff } from './marketplace/fixtures';

describe('personal data at registration (E3, e2e)', () => {
  let t: TestApp;
  let staff: Staff;
  let events: PgEventStore;
  const PASSWORD = 'a-long-enough-password';

  beforeAll(async () => {
    t = await createTestApp();
    staff = await registerStaff(t);
    events = t.app.get(PgEventStore);
  });
  afterAll(() => t.close());

  const rawRegistration = async (userId: string) =>
    (
      await events.pool.query(
        `SELECT event_id, stream_id, revision, type, schema_version, data, metadata, encode(hash, 'hex') AS hash FROM events WHERE stream_id = $1 AND type = $2`,
        [userStream(userId), USER_REGISTERED],
      )
    ).rows[0];
  const me = async (token: string) => (await t.http.get('/me').set(auth(token)).expect(200)).body;
  const shred = (userId: string) =>
    t.http
      .post(`/staff/advisory/investors/${userId}/personal-data/shredding`)
      .set(auth(staff.compliance.token))
      .send({ reason: 'PIPL 47 deletion request' });

  it('E3: the registration event references the vault; the email, name and date of birth are not in the log', async () => {
    const investor = await t.register('investor', { displayName: '张小红', dateOfBirth: '1990-05-01' });
    const row = await rawRegistration(investor.userId);
    expect(row.schema_version).toBe(2);
    expect(Object.keys(row.data).sort()).toEqual(['piiRef', 'registeredAt', 'roles', 'userId']);
    const stored = JSON.stringify(row);
    for (const personal of [investor.email, '张小红', '1990-05-01']) expect(stored).not.toContain(personal);
    const vaulted = await t.app.get(PiiVault).read(row.data.piiRef);
    expect(vaulted).toEqual({ status: 'available', pii: { email: investor.email, displayName: '张小红', dateOfBirth: '1990-05-01' } });
    // The read model and sign-in by email still work.
    expect(await me(investor.token)).toMatchObject({
      userId: investor.userId,
      email: investor.email,
      displayName: '张小红',
      dateOfBirth: '1990-05-01',
    });
    await t.http.post('/auth/login').send({ email: investor.email.toUpperCase(), password: PASSWORD }).expect(200);
  });

  it('E1, E3: a registration written before the vault keeps its bytes and hash, and is read as the current version', async () => {
    const userId = '01900000-0000-7000-8000-00000000a001';
    const data = {
      userId,
      email: 'legacy@example.com',
      displayName: 'Legacy Li',
      roles: ['investor'],
      dateOfBirth: '1980-02-03',
      registeredAt: '2025-01-01T00:00:00.000Z',
    };
    const metadata = {
      actor: userId,
      actorRoles: ['investor'],
      correlationId: 'legacy',
      occurredAt: '2025-01-01T00:00:00.000Z',
      channel: 'api',
    };
    await events.append(
      userStream(userId),
      [{ id: '01900000-0000-7000-8000-00000000e001', type: USER_REGISTERED, schemaVersion: 1, data, metadata }],
      'no_stream',
    );
    await t.catchUp();
    const before = await rawRegistration(userId);
    expect(before).toMatchObject({ schema_version: 1, data });

    const [read] = await events.readStream(userStream(userId));
    expect(read).toMatchObject({
      schemaVersion: 2,
      data: {
        userId,
        piiRef: null,
        legacyPersonalData: { email: 'legacy@example.com', displayName: 'Legacy Li', dateOfBirth: '1980-02-03' },
      },
    });
    expect(read.hash).toBe(before.hash);
    expect(
      eventHash({
        id: before.event_id,
        streamId: before.stream_id,
        revision: BigInt(before.revision),
        type: before.type,
        schemaVersion: 1,
        data: before.data,
        metadata: before.metadata,
      }),
    ).toBe(before.hash);

    const listed = (await t.http.get('/admin/users').query({ limit: 200 }).set(auth(t.adminToken)).expect(200)).body.items;
    expect(listed.find((u: { userId: string }) => u.userId === userId)).toMatchObject({
      email: 'legacy@example.com',
      displayName: 'Legacy Li',
      dateOfBirth: '1980-02-03',
    });
    expect(await rawRegistration(userId)).toEqual(before);

    // Shredding a legacy user empties the read model; the log's old bytes stay as they were (E1).
    await shred(userId).expect(200);
    const after = (await t.http.get('/admin/users').query({ limit: 200 }).set(auth(t.adminToken)).expect(200)).body.items;
    expect(after.find((u: { userId: string }) => u.userId === userId)).toMatchObject({ email: null, displayName: null, dateOfBirth: null });
    expect(await rawRegistration(userId)).toEqual(before);
  });

  it('E3: shredding a person erases their identity data, sign-in included, survives a rebuild, and the log still verifies', async () => {
    const investor = await t.register('investor', { displayName: '王小明', dateOfBirth: '1985-06-14' });
    const { piiRef } = (await rawRegistration(investor.userId)).data;
    await shred(investor.userId).expect(200);

    expect(await t.app.get(PiiVault).read(piiRef)).toEqual({ status: 'shredded' });
    expect(await me(investor.token)).toMatchObject({ userId: investor.userId, email: null, displayName: null, dateOfBirth: null });
    expect((await events.pool.query('SELECT count(*)::int AS n FROM credentials WHERE user_id = $1', [investor.userId])).rows[0].n).toBe(0);
    await t.http.post('/auth/login').send({ email: investor.email, password: PASSWORD }).expect(401);
    const recorded = (await events.readStream(userStream(investor.userId))).map((e) => e.type);
    // The registration opened a session (identity.SessionStarted: its id, expiry and user agent; no identity data).
    expect(recorded).toEqual([USER_REGISTERED, 'identity.SessionStarted', 'identity.PersonalDataShredded']);
    expect((await shred(investor.userId).expect(409)).body).toMatchObject({ code: 'ACCOUNT.ALREADY_SHREDDED', rule: 'E3' });

    await t.app.get(ProjectionRunner).rebuild(['identity.users']);
    expect(await me(investor.token)).toMatchObject({ email: null, displayName: null, dateOfBirth: null });

    const pool = events.pool;
    expect(await checkShredding(pool)).toMatchObject({ ok: true });
    await t.http.post('/audit/checkpoints').set(auth(staff.compliance.token)).expect(201);
    const signing = t.app.get<AuditSigning>(AUDIT_SIGNING);
    const verifier = parseVerifierKey(signing.verifierKey);
    if (!verifier.ok) throw new Error(verifier.reason);
    expect(await verifyAuditLog(pool, { verifier: verifier.value, origin: signing.origin })).toMatchObject({ ok: true, unsealedEvents: 0 });
  });
});
