import { isDomainError } from '@app/common';
import { decideAccess, OWN_FILE_REASON, RecordAccess } from './evidence-access';

const command = (overrides: Partial<RecordAccess> = {}): RecordAccess => ({
  accessId: 'acc-1',
  kind: 'investor_timeline',
  actor: { id: 'officer-1', roles: ['compliance_officer'] },
  subject: { investorId: 'inv-1' },
  query: { investorId: 'inv-1', from: '2026-01-01' },
  reason: 'complaint 2026-118 from the investor',
  now: new Date('2026-11-23T08:00:00.000Z'),
  ...overrides,
});

describe('recording access to evidence (E5)', () => {
  it('E5: records who looked at whose data, when, what and why', () => {
    expect(decideAccess(command())).toEqual([
      {
        type: 'audit.EvidenceAccessed',
        data: {
          accessId: 'acc-1',
          kind: 'investor_timeline',
          actorId: 'officer-1',
          subject: { investorId: 'inv-1' },
          query: { investorId: 'inv-1', from: '2026-01-01' },
          reason: 'complaint 2026-118 from the investor',
          accessedAt: '2026-11-23T08:00:00.000Z',
        },
      },
    ]);
  });

  it.each([undefined, '', '   ', 'why'])('E5: refuses access without a reason (%p)', (reason) => {
    const result = decideAccess(command({ reason }));
    expect(isDomainError(result) && [result.code, result.rule, result.kind]).toEqual([
      'AUDIT.ACCESS_REASON_REQUIRED',
      'E5',
      'rule_violation',
    ]);
  });

  it('E5: refuses anyone who is not a compliance officer, admins included', () => {
    const result = decideAccess(command({ actor: { id: 'admin-1', roles: ['admin'] } }));
    expect(isDomainError(result) && [result.code, result.kind]).toEqual(['AUDIT.COMPLIANCE_ROLE_REQUIRED', 'forbidden']);
  });

  it('E5: an investor reading their own file is recorded, with the right of access as its ground', () => {
    const own = command({
      kind: 'own_timeline',
      actor: { id: 'inv-1', roles: ['investor'] },
      subject: { investorId: 'inv-1' },
      reason: undefined,
    });
    expect(decideAccess(own)).toMatchObject([
      {
        type: 'audit.EvidenceAccessed',
        data: { kind: 'own_timeline', actorId: 'inv-1', subject: { investorId: 'inv-1' }, reason: OWN_FILE_REASON },
      },
    ]);
  });

  it.each(['own_timeline', 'own_evidence_export'] as const)("E5: an investor never reads another investor's file (%s)", (kind) => {
    const result = decideAccess(command({ kind, actor: { id: 'inv-2', roles: ['investor'] }, subject: { investorId: 'inv-1' } }));
    expect(isDomainError(result) && [result.code, result.rule, result.kind]).toEqual(['AUDIT.NOT_OWN_FILE', 'E5', 'forbidden']);
  });
});
