import { deciderSpec } from '@app/common/testing';
import { capDecider, capStreamId, Deliver, DeliveryEvent, MessageDraft, openDecider } from './delivery';

const spec = deciderSpec(capDecider);
const caps = { perDay: 2, perWeek: 3 };
const stepAt = (at: string) => ({ actorId: 'system', at, channel: 'system' as const });
const draft = (messageId: string): MessageDraft => ({
  messageId,
  investorId: 'inv-1',
  channel: 'push',
  campaignId: 'c1',
  productId: null,
  title: 't',
  body: 'b',
});
const deliver = (messageId: string, at: string, overCap: Deliver['overCap'] = 'withhold'): Deliver => ({
  type: 'Deliver',
  message: draft(messageId),
  caps,
  overCap,
  step: stepAt(at),
});
const sent = (messageId: string, at: string): DeliveryEvent => ({
  type: 'reach.MessageSent',
  data: { ...draft(messageId), step: stepAt(at) },
});
// Beijing Wednesday 2026-12-02 10:00 and 11:00, Thursday 10:00.
const wed10 = '2026-12-02T02:00:00.000Z';
const wed11 = '2026-12-02T03:00:00.000Z';
const thu10 = '2026-12-03T02:00:00.000Z';

describe('frequency caps per investor per channel per day and week (G2)', () => {
  it('G2: given no message this week, when one is delivered, then it is sent', () => {
    spec
      .given([])
      .when(deliver('m1', wed10))
      .then([sent('m1', wed10)]);
  });
  it('G2: given two messages today (the daily cap), when a campaign delivers a third, then it is withheld with the rule', () => {
    spec
      .given([sent('m1', wed10), sent('m2', wed11)])
      .when(deliver('m3', wed11))
      .then([
        {
          type: 'reach.MessageWithheld',
          data: {
            messageId: 'm3',
            investorId: 'inv-1',
            channel: 'push',
            campaignId: 'c1',
            reason: 'daily_cap',
            rule: 'G2',
            step: stepAt(wed11),
          },
        },
      ]);
  });
  it('G2: given two messages today, when a direct send asks for a third, then it is refused naming G2', () => {
    spec
      .given([sent('m1', wed10), sent('m2', wed11)])
      .when(deliver('m3', wed11, 'refuse'))
      .thenFails('REACH.DAILY_CAP_REACHED', 'G2');
  });
  it('G2: given two messages yesterday, when one is delivered today, then the daily cap has room again', () => {
    spec
      .given([sent('m1', wed10), sent('m2', wed11)])
      .when(deliver('m3', thu10))
      .then([sent('m3', thu10)]);
  });
  it('G2: given three messages this week (the weekly cap), when one more is delivered on a fresh day, then it is refused naming G2', () => {
    spec
      .given([sent('m1', wed10), sent('m2', wed11), sent('m3', thu10)])
      .when(deliver('m4', '2026-12-04T02:00:00.000Z', 'refuse'))
      .thenFails('REACH.WEEKLY_CAP_REACHED', 'G2');
  });
  it('G2: given a message already sent, when the same message is decided again (a resumed batch), then nothing more is sent', () => {
    spec
      .given([sent('m1', wed10)])
      .when(deliver('m1', wed11))
      .then([]);
  });
  it('G2: the caps stream is per investor, channel and Beijing week, so next week starts a new count', () => {
    expect(capStreamId('inv-1', 'push', wed10)).toBe('reach.caps-inv-1-push-2026-11-30');
    expect(capStreamId('inv-1', 'push', '2026-12-07T02:00:00.000Z')).toBe('reach.caps-inv-1-push-2026-12-07');
    expect(capStreamId('inv-1', 'sms', wed10)).not.toBe(capStreamId('inv-1', 'push', wed10));
  });
});

describe('opening a message', () => {
  const open = { type: 'OpenMessage' as const, messageId: 'm1', investorId: 'inv-1', campaignId: 'c1', step: stepAt(wed10) };
  it('given an unread message, when the investor reads it, then it is opened once', () => {
    deciderSpec(openDecider)
      .given([])
      .when(open)
      .then([{ type: 'reach.MessageOpened', data: { messageId: 'm1', investorId: 'inv-1', campaignId: 'c1', step: stepAt(wed10) } }]);
  });
  it('given an opened message, when it is read again, then nothing is recorded', () => {
    deciderSpec(openDecider)
      .given([{ type: 'reach.MessageOpened', data: { messageId: 'm1', investorId: 'inv-1', campaignId: 'c1', step: stepAt(wed10) } }])
      .when(open)
      .then([]);
  });
});
