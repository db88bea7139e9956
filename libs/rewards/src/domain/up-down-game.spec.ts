import { Step } from '@app/common';
import { deciderSpec } from '@app/common/testing';
import { IndexClose, RoundCommand, RoundEvent, RoundEventTypes as E, RoundTerms, upDownRoundDecider } from './up-down-game';

const spec = deciderSpec(upDownRoundDecider);
const terms: RoundTerms = {
  roundId: '000300.SH-2026-03-02',
  indexCode: '000300.SH',
  tradingDay: '2026-03-02',
  cutoffAt: '2026-03-02T01:30:00.000Z',
  rewardPoints: 20,
};
const step = (at: string, actorId = 'inv-1'): Step => ({ actorId, at, channel: 'app' });
const BEFORE = '2026-03-02T01:00:00.000Z';
const AFTER_CLOSE = '2026-03-02T08:00:00.000Z';
const predict = (investorId: string, direction: 'up' | 'down', at = BEFORE): RoundCommand => ({
  type: 'Predict',
  terms,
  investorId,
  direction,
  step: step(at, investorId),
});
const opened: RoundEvent = { type: E.Opened, data: { terms, step: step(BEFORE) } };
const predicted = (investorId: string, direction: 'up' | 'down'): RoundEvent => ({
  type: E.Predicted,
  data: { roundId: terms.roundId, investorId, direction, step: step(BEFORE, investorId) },
});
const close = (closeCenti: number): IndexClose => ({
  indexCode: '000300.SH',
  tradingDay: '2026-03-02',
  previousCloseCenti: 400000,
  closeCenti,
});
const settle = (c: IndexClose, at = AFTER_CLOSE): RoundCommand => ({
  type: 'Settle',
  close: c,
  step: { actorId: 'system', at, channel: 'system' },
});

describe('猜涨跌 up/down game (G5)', () => {
  it('the first prediction opens the round', () => {
    spec
      .given([])
      .when(predict('inv-1', 'up'))
      .then([opened, predicted('inv-1', 'up')]);
  });

  it('predictions close at the cut-off', () => {
    spec
      .given([opened])
      .when(predict('inv-2', 'down', terms.cutoffAt))
      .thenFails('UPDOWN.ROUND_CLOSED');
  });

  it('one prediction per investor per round; the same one again is a no-op', () => {
    spec
      .given([opened, predicted('inv-1', 'up')])
      .when(predict('inv-1', 'up'))
      .then([]);
    spec
      .given([opened, predicted('inv-1', 'up')])
      .when(predict('inv-1', 'down'))
      .thenFails('UPDOWN.ALREADY_PREDICTED');
  });

  it('G5: settlement from the close names the winners and their points (no stake, no cash)', () => {
    const history = [opened, predicted('inv-1', 'up'), predicted('inv-2', 'down'), predicted('inv-3', 'up')];
    spec
      .given(history)
      .when(settle(close(401000)))
      .thenMatches([{ type: E.Settled, data: { outcome: 'up', winners: ['inv-1', 'inv-3'], rewardPoints: 20 } }]);
    spec
      .given(history)
      .when(settle(close(399000)))
      .thenMatches([{ type: E.Settled, data: { outcome: 'down', winners: ['inv-2'] } }]);
    spec
      .given(history)
      .when(settle(close(400000)))
      .thenMatches([{ type: E.Settled, data: { outcome: 'flat', winners: [] } }]);
  });

  it('G5: settlement is exactly once: a second settlement, even with another close, changes nothing', () => {
    const history = [opened, predicted('inv-1', 'up')];
    const first = spec
      .given(history)
      .when(settle(close(401000)))
      .thenEvents();
    spec
      .given([...history, ...first])
      .when(settle(close(390000)))
      .then([]);
    spec
      .given([...history, ...first])
      .when(predict('inv-9', 'up'))
      .thenFails('UPDOWN.ROUND_CLOSED');
  });

  it('a round is not settled before its cut-off, nor by another index or day', () => {
    spec
      .given([opened])
      .when(settle(close(401000), BEFORE))
      .thenFails('UPDOWN.NOT_YET');
    spec
      .given([opened])
      .when(settle({ ...close(401000), tradingDay: '2026-03-03' }))
      .thenFails('UPDOWN.WRONG_CLOSE');
    spec
      .given([])
      .when(settle(close(401000)))
      .then([]);
    spec
      .given([opened])
      .when({ type: 'Settle', close: null, step: { actorId: 'system', at: AFTER_CLOSE, channel: 'system' } })
      .thenFails('UPDOWN.NO_CLOSE_YET');
  });
});
