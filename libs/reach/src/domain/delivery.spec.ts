import { deciderSpec } from '@app/common/testing';
import { CapCount } from './caps';
import { Deliver, DeliveryEvent, directMessageDecider, MessageDraft, openDecider } from './delivery';

const spec = deciderSpec(directMessageDecider);
const caps = { perDay: 2, perWeek: 3 };
const stepAt = (at: string) => ({ actorId: 'system', at, channel: 'system' as const });
const draft = (messageId: string): MessageDraft => ({
  messageId,
  investorId: 'inv-1',
  channel: 'push',
  campaignId: null,
  productId: null,
  title: 't',
  body: 'b',
});
const deliver = (messageId: string, at: string, count?: CapCount): Deliver => ({
  type: 'Deliver',
  message: draft(messageId),
  caps,
  count,
  step: stepAt(at),
});
const sent = (messageId: string, at: string): DeliveryEvent => ({
  type: 'reach.MessageSent',
  data: { ...draft(messageId), step: stepAt(at) },
});
// Beijing Wednesday 2026-12-02 10:00 and 11:00, Thursday 10:00; the week starts Monday 2026-11-30.
const wed10 = '2026-12-02T02:00:00.000Z';
const wed11 = '2026-12-02T03:00:00.000Z';
const thu10 = '2026-12-03T02:00:00.000Z';
const week = '2026-11-30';

describe('a direct message to one investor, on their cap counter (G2)', () => {
  it('G2: given no counter this week, when a message is delivered, then it is sent', () => {
    spec
      .given([])
      .when(deliver('m1', wed10))
      .then([sent('m1', wed10)]);
  });
  it('G2: given a counter at the daily cap today, when a direct send asks for one more, then it is refused naming G2', () => {
    spec
      .given([])
      .when(deliver('m3', wed11, { week, weekCount: 2, day: '2026-12-02', dayCount: 2 }))
      .thenFails('REACH.DAILY_CAP_REACHED', 'G2');
  });
  it('G2: given a counter at the daily cap yesterday, when one is delivered today, then the daily cap has room again', () => {
    spec
      .given([])
      .when(deliver('m3', thu10, { week, weekCount: 2, day: '2026-12-02', dayCount: 2 }))
      .then([sent('m3', thu10)]);
  });
  it('G2: given a counter at the weekly cap, when one more is asked for on a fresh day, then it is refused naming G2', () => {
    spec
      .given([])
      .when(deliver('m4', '2026-12-04T02:00:00.000Z', { week, weekCount: 3, day: '2026-12-03', dayCount: 1 }))
      .thenFails('REACH.WEEKLY_CAP_REACHED', 'G2');
  });
  it('G2: given last week’s counter at the weekly cap, when one is delivered this week, then it is sent (a new week, a new count)', () => {
    spec
      .given([])
      .when(deliver('m5', '2026-12-07T02:00:00.000Z', { week, weekCount: 3, day: '2026-12-03', dayCount: 1 }))
      .then([sent('m5', '2026-12-07T02:00:00.000Z')]);
  });
  it('given the message already sent, when it is decided again (a retried request), then nothing more is sent', () => {
    spec
      .given([sent('m1', wed10)])
      .when(deliver('m1', wed11))
      .then([]);
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
