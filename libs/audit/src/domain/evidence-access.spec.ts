import { isDomainError } from '@app/common';
import { decideAccess, RecordAccess } from './evidence-access';

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
    expect(isDomainError(result) && [result.code, result.rule, result.kind]).toEqual(['AUDIT.ACCESS_REASON_REQUIRED', 'E5', 'rule_violation']);
  });

  it('E5: refuses anyone who is not a compliance officer, admins included', () => {
    const result = decideAccess(command({ actor: { id: 'admin-1', roles: ['admin'] } }));
    expect(isDomainError(result) && [result.code, result.kind]).toEqual(['AUDIT.COMPLIANCE_ROLE_REQUIRED', 'forbidden']);
  });
});
