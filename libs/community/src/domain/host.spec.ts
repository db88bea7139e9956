import { deciderSpec } from '@app/common/testing';
import { HostEvent, HostEventTypes, hostDecider, splitTip } from './host';

const spec = deciderSpec(hostDecider);
const step = (at = '2026-03-02T02:00:00.000Z', actorId = 'h1') => ({ actorId, at, channel: 'app' as const });
const cny = (amountMinor: number) => ({ amountMinor, currency: 'CNY' });
const registered: HostEvent = {
  type: HostEventTypes.Registered,
  data: { hostId: 'h1', kind: 'kol', displayName: '老王聊基金', bio: '', sacRegistrationCode: null, step: step() },
};
const credited = (tipId: string, gross: number, hostBps = 7000): HostEvent => {
  const split = splitTip(gross, { hostBps });
  return {
    type: HostEventTypes.TipCredited,
    data: {
      hostId: 'h1',
      tipId,
      gross: cny(gross),
      hostBps,
      hostShare: cny(split.hostShareMinor),
      platformShare: cny(split.platformShareMinor),
      step: step(),
    },
  };
};

describe('host profile', () => {
  it('A9: an advisor host needs the advisor role and a valid SAC code', () => {
    const profile = { hostId: 'h1', kind: 'advisor' as const, displayName: '张顾问', bio: '', sacRegistrationCode: 'S0260611080001' };
    spec
      .given([])
      .when({ type: 'RegisterHost', profile, authorRoles: ['investor'], step: step() })
      .thenFails('COMMUNITY.NOT_AN_ADVISOR', 'A9');
    spec
      .given([])
      .when({ type: 'RegisterHost', profile: { ...profile, sacRegistrationCode: 'bogus' }, authorRoles: ['advisor'], step: step() })
      .thenFails('COMMUNITY.SAC_CODE_REQUIRED', 'A9');
    spec
      .given([])
      .when({ type: 'RegisterHost', profile, authorRoles: ['advisor'], step: step() })
      .thenMatches([{ type: HostEventTypes.Registered, data: { sacRegistrationCode: 'S0260611080001' } }]);
  });
});

describe('host ledger and revenue share', () => {
  it('a tip credits the host share, rounded down, the platform keeps the rest', () => {
    expect(splitTip(999, { hostBps: 7000 })).toEqual({ hostShareMinor: 699, platformShareMinor: 300 });
    spec
      .given([registered])
      .when({ type: 'CreditTip', tipId: 't1', gross: cny(1000), share: { hostBps: 7000 }, step: step() })
      .then([credited('t1', 1000)]);
  });

  it('crediting the same tip twice changes nothing', () => {
    spec
      .given([registered, credited('t1', 1000)])
      .when({ type: 'CreditTip', tipId: 't1', gross: cny(1000), share: { hostBps: 7000 }, step: step() })
      .then([]);
  });

  it('a share outside 0..10000 bps is refused', () => {
    spec
      .given([registered])
      .when({ type: 'CreditTip', tipId: 't1', gross: cny(1000), share: { hostBps: 12000 }, step: step() })
      .thenFails('COMMUNITY.SHARE_INVALID');
  });
});

describe('payouts', () => {
  it('a payout takes the balance into a statement of its lines', () => {
    spec
      .given([registered, credited('t1', 1000), credited('t2', 500)])
      .when({ type: 'RequestPayout', payoutId: 'p1', minimumMinor: 100, step: step('2026-03-31T16:00:00.000Z', 'finance') })
      .thenMatches([
        {
          type: HostEventTypes.PayoutRequested,
          data: {
            amount: cny(1050),
            periodFrom: null,
            periodTo: '2026-03-31T16:00:00.000Z',
            lines: [
              { tipId: 't1', kind: 'credit', amountMinor: 700 },
              { tipId: 't2', kind: 'credit', amountMinor: 350 },
            ],
          },
        },
      ]);
  });

  it('below the minimum, or with a payout in flight, there is no payout', () => {
    spec
      .given([registered, credited('t1', 100)])
      .when({ type: 'RequestPayout', payoutId: 'p1', minimumMinor: 100, step: step() })
      .thenFails('COMMUNITY.PAYOUT_BELOW_MINIMUM');
    const requested = spec
      .given([registered, credited('t1', 1000)])
      .when({ type: 'RequestPayout', payoutId: 'p1', minimumMinor: 1, step: step() })
      .thenEvents();
    spec
      .given([registered, credited('t1', 1000), ...requested, credited('t2', 1000)])
      .when({ type: 'RequestPayout', payoutId: 'p2', minimumMinor: 1, step: step() })
      .thenFails('COMMUNITY.PAYOUT_IN_FLIGHT');
  });

  it('a completed payout is paid out; a failed one returns the balance and its lines to the next statement', () => {
    const history = [registered, credited('t1', 1000)];
    const requested = spec
      .given(history)
      .when({ type: 'RequestPayout', payoutId: 'p1', minimumMinor: 1, step: step('2026-03-31T00:00:00.000Z') })
      .thenEvents();
    const completed = spec
      .given([...history, ...requested])
      .when({ type: 'CompletePayout', payoutId: 'p1', reference: 'sbx', step: step() })
      .thenEvents();
    const paid = [...history, ...requested, ...completed].reduce(hostDecider.evolve, hostDecider.initialState);
    expect(paid).toMatchObject({ status: 'registered', balanceMinor: 0, paidOutMinor: 700, payoutInFlight: null });
    const failed = spec
      .given([...history, ...requested])
      .when({ type: 'FailPayout', payoutId: 'p1', reason: 'account closed', step: step() })
      .thenEvents();
    const back = [...history, ...requested, ...failed].reduce(hostDecider.evolve, hostDecider.initialState);
    expect(back).toMatchObject({
      status: 'registered',
      balanceMinor: 700,
      paidOutMinor: 0,
      payoutInFlight: null,
      lastStatementAt: null,
      unstated: [{ tipId: 't1' }],
    });
  });

  it('a settlement for another payout changes nothing', () => {
    const requested = spec
      .given([registered, credited('t1', 1000)])
      .when({ type: 'RequestPayout', payoutId: 'p1', minimumMinor: 1, step: step() })
      .thenEvents();
    spec
      .given([registered, credited('t1', 1000), ...requested])
      .when({ type: 'CompletePayout', payoutId: 'other', reference: 'x', step: step() })
      .then([]);
  });
});

describe('reversals', () => {
  it('a refund reverses the host share of that tip, once', () => {
    spec
      .given([registered, credited('t1', 1000)])
      .when({ type: 'ReverseTip', tipId: 't1', cause: 'refund', step: step() })
      .then([
        { type: HostEventTypes.TipReversed, data: { hostId: 'h1', tipId: 't1', cause: 'refund', hostShare: cny(700), step: step() } },
      ]);
    const reversed = spec
      .given([registered, credited('t1', 1000)])
      .when({ type: 'ReverseTip', tipId: 't1', cause: 'refund', step: step() })
      .thenEvents();
    spec
      .given([registered, credited('t1', 1000), ...reversed])
      .when({ type: 'ReverseTip', tipId: 't1', cause: 'chargeback', step: step() })
      .then([]);
  });

  it('a chargeback after the payout leaves a negative balance, recovered from later tips', () => {
    const history = [registered, credited('t1', 1000)];
    const requested = spec.given(history).when({ type: 'RequestPayout', payoutId: 'p1', minimumMinor: 1, step: step() }).thenEvents();
    const reversed = spec
      .given([...history, ...requested])
      .when({ type: 'ReverseTip', tipId: 't1', cause: 'chargeback', step: step() })
      .thenEvents();
    const state = [...history, ...requested, ...reversed, credited('t2', 2000)].reduce(hostDecider.evolve, hostDecider.initialState);
    expect(state).toMatchObject({ balanceMinor: -700 + 1400 });
  });

  it('a tip never credited has nothing to reverse', () => {
    spec.given([registered]).when({ type: 'ReverseTip', tipId: 'nope', cause: 'refund', step: step() }).then([]);
  });
});
