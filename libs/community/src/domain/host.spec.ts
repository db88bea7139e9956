import { deciderSpec } from '@app/common/testing';
import { HostEvent, HostEventTypes, NEGATIVE_BALANCE_CARRIED, hostDecider, splitTip } from './host';

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
  const refund = (tipId: string, refundId: string, refundedMinor: number | null) =>
    ({ type: 'ReverseTip', tipId, cause: 'refund', refundId, refundedMinor, step: step() }) as const;
  const chargeback = (tipId: string) =>
    ({ type: 'ReverseTip', tipId, cause: 'chargeback', refundId: null, refundedMinor: null, step: step() }) as const;
  const stateAfter = (events: readonly HostEvent[]) => events.reduce(hostDecider.evolve, hostDecider.initialState);

  it('a full refund reverses the whole host share of that tip, once', () => {
    spec
      .given([registered, credited('t1', 1000)])
      .when(refund('t1', 'r1', 1000))
      .then([
        {
          type: HostEventTypes.TipReversed,
          data: { hostId: 'h1', tipId: 't1', cause: 'refund', hostShare: cny(700), refundedGross: cny(1000), refundId: 'r1', step: step() },
        },
      ]);
    const reversed = spec
      .given([registered, credited('t1', 1000)])
      .when(refund('t1', 'r1', null))
      .thenEvents();
    expect(reversed).toMatchObject([{ data: { hostShare: cny(700), refundedGross: cny(1000) } }]);
    spec
      .given([registered, credited('t1', 1000), ...reversed])
      .when(chargeback('t1'))
      .then([]);
    spec
      .given([registered, credited('t1', 1000), ...reversed])
      .when(refund('t1', 'r2', 10))
      .then([]);
  });

  it('a partial refund reverses the host share in proportion, rounded down, the remainder on the platform', () => {
    // 999 gross at 70 %: share 699. A refund of 333 (a third) reverses floor(699 × 333 / 999) = 233.
    spec
      .given([registered, credited('t1', 999)])
      .when(refund('t1', 'r1', 333))
      .thenMatches([{ type: HostEventTypes.TipReversed, data: { hostShare: cny(233), refundedGross: cny(333), refundId: 'r1' } }]);
    // 1000 gross at 70 %: a refund of 1 fen would reverse 0.7 fen: the host's reversal is 0, the platform bears it.
    spec
      .given([registered, credited('t1', 1000)])
      .when(refund('t1', 'r1', 1))
      .thenMatches([{ type: HostEventTypes.TipReversed, data: { hostShare: cny(0), refundedGross: cny(1) } }]);
  });

  it('partial refunds add up to exactly the share when the whole tip is refunded, never more', () => {
    const history: HostEvent[] = [registered, credited('t1', 1000)];
    for (const [refundId, amount] of [
      ['r1', 1],
      ['r2', 1],
      ['r3', 1],
    ] as const) {
      history.push(
        ...spec
          .given(history)
          .when(refund('t1', refundId, amount))
          .thenEvents(),
      );
    }
    // three 1-fen refunds: floor(0.7) = 0, floor(1.4) = 1, floor(2.1) = 2 reversed in all
    expect(stateAfter(history)).toMatchObject({ credits: { t1: { refundedGrossMinor: 3, reversedShareMinor: 2 } } });
    history.push(
      ...spec
        .given(history)
        .when(refund('t1', 'r4', 997))
        .thenEvents(),
    );
    expect(stateAfter(history)).toMatchObject({ balanceMinor: 0, credits: { t1: { refundedGrossMinor: 1000, reversedShareMinor: 700 } } });
    // a refund beyond the gross (payments refuses it; if it came) reverses nothing more
    spec
      .given(history)
      .when(refund('t1', 'r5', 50))
      .then([]);
  });

  it('a refund reported twice reverses once', () => {
    const history = [registered, credited('t1', 1000)];
    const first = spec
      .given(history)
      .when(refund('t1', 'r1', 400))
      .thenEvents();
    spec
      .given([...history, ...first])
      .when(refund('t1', 'r1', 400))
      .then([]);
  });

  it('a chargeback after a partial refund reverses the rest of the share', () => {
    const history = [registered, credited('t1', 1000)];
    const partial = spec
      .given(history)
      .when(refund('t1', 'r1', 400))
      .thenEvents();
    expect(partial).toMatchObject([{ data: { hostShare: cny(280) } }]);
    spec
      .given([...history, ...partial])
      .when(chargeback('t1'))
      .thenMatches([{ type: HostEventTypes.TipReversed, data: { cause: 'chargeback', hostShare: cny(420), refundedGross: cny(600) } }]);
    const charged = spec
      .given([...history, ...partial])
      .when(chargeback('t1'))
      .thenEvents();
    spec
      .given([...history, ...partial, ...charged])
      .when(refund('t1', 'r2', 100))
      .then([]);
    spec
      .given([...history, ...partial, ...charged])
      .when(chargeback('t1'))
      .then([]);
  });

  it('a refund of a non-positive amount is refused', () => {
    spec
      .given([registered, credited('t1', 1000)])
      .when(refund('t1', 'r1', 0))
      .thenFails('COMMUNITY.REFUND_AMOUNT_INVALID');
  });

  it(`${NEGATIVE_BALANCE_CARRIED}: a reversal while the share is unpaid never takes the balance below zero`, () => {
    const history = [registered, credited('t1', 1000), credited('t2', 1)];
    const reversed = spec.given(history).when(chargeback('t1')).thenEvents();
    expect(stateAfter([...history, ...reversed])).toMatchObject({ balanceMinor: 0 });
  });

  it(`${NEGATIVE_BALANCE_CARRIED}: a reversal after the payout leaves a deficit that later tips make good, no payout until then, and the next statement lists it`, () => {
    const history = [registered, credited('t1', 1000)];
    const requested = spec.given(history).when({ type: 'RequestPayout', payoutId: 'p1', minimumMinor: 1, step: step() }).thenEvents();
    const reversed = spec
      .given([...history, ...requested])
      .when(refund('t1', 'r1', 500))
      .thenEvents();
    const afterRefund = [...history, ...requested, ...reversed];
    expect(stateAfter(afterRefund)).toMatchObject({ balanceMinor: -350 });
    spec
      .given(afterRefund)
      .when({ type: 'RequestPayout', payoutId: 'p2', minimumMinor: 1, step: step() })
      .thenFails('COMMUNITY.PAYOUT_IN_FLIGHT');
    const completed = spec.given(afterRefund).when({ type: 'CompletePayout', payoutId: 'p1', reference: 'ref', step: step() }).thenEvents();
    const settled = [...afterRefund, ...completed];
    spec
      .given(settled)
      .when({ type: 'RequestPayout', payoutId: 'p2', minimumMinor: 1, step: step() })
      .thenFails('COMMUNITY.PAYOUT_BELOW_MINIMUM');
    const later = [...settled, credited('t2', 2000)];
    expect(stateAfter(later)).toMatchObject({ balanceMinor: -350 + 1400 });
    spec
      .given(later)
      .when({ type: 'RequestPayout', payoutId: 'p2', minimumMinor: 1, step: step('2026-04-30T16:00:00.000Z') })
      .thenMatches([
        {
          type: HostEventTypes.PayoutRequested,
          data: {
            amount: cny(1050),
            lines: [
              { tipId: 't1', kind: 'reversal', amountMinor: -350 },
              { tipId: 't2', kind: 'credit', amountMinor: 1400 },
            ],
          },
        },
      ]);
  });

  it('a tip never credited has nothing to reverse', () => {
    spec
      .given([registered])
      .when(refund('nope', 'r1', 100))
      .then([]);
  });
});
