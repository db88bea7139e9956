import { deciderSpec } from '@app/common/testing';
import { BatchEvent, batchDecider, batchStreamId, SendBatch } from './batch';

const spec = deciderSpec(batchDecider);
const step = { actorId: 'system', at: '2026-12-02T02:00:00.000Z', channel: 'system' as const };
const caps = { perDay: 1, perWeek: 3 };
const send = (counts: SendBatch['counts'] = {}): SendBatch => ({
  type: 'SendBatch',
  campaignId: 'c1',
  batch: 2,
  channel: 'in_app',
  productId: null,
  title: 't',
  body: 'b',
  recipients: [
    { messageId: 'm1', investorId: 'a' },
    { messageId: 'm2', investorId: 'b' },
    { messageId: 'm3', investorId: 'c' },
  ],
  caps,
  counts,
  step,
});
const sentEvent = (sent: BatchEvent['data']['sent'], withheld: BatchEvent['data']['withheld']): BatchEvent => ({
  type: 'reach.BatchSent',
  data: { campaignId: 'c1', batch: 2, channel: 'in_app', productId: null, title: 't', body: 'b', sent, withheld, caps, step },
});

describe('a fan-out batch: one event listing its recipients, the caps decided on the counters (G2)', () => {
  it('G2: given a new batch and no counters, when it is sent, then one reach.BatchSent lists every recipient with its message id', () => {
    spec
      .given([])
      .when(send())
      .then([
        sentEvent(
          [
            { messageId: 'm1', investorId: 'a' },
            { messageId: 'm2', investorId: 'b' },
            { messageId: 'm3', investorId: 'c' },
          ],
          [],
        ),
      ]);
  });
  it('G2: given b at the daily cap, when the batch is sent, then b is listed as withheld with the cap and rule, the others as sent', () => {
    spec
      .given([])
      .when(send({ b: { week: '2026-11-30', weekCount: 1, day: '2026-12-02', dayCount: 1 } }))
      .then([
        sentEvent(
          [
            { messageId: 'm1', investorId: 'a' },
            { messageId: 'm3', investorId: 'c' },
          ],
          [{ messageId: 'm2', investorId: 'b', reason: 'daily_cap', rule: 'G2' }],
        ),
      ]);
  });
  it('given the batch already sent, when it is decided again (a resumed run), then nothing is sent twice', () => {
    spec
      .given([sentEvent([{ messageId: 'm1', investorId: 'a' }], [])])
      .when(send())
      .then([]);
  });
  it('a batch has one stream per campaign and batch number', () => {
    expect(batchStreamId('c1', 2)).toBe('reach.batch-c1-2');
    expect(batchStreamId('c1', 3)).not.toBe(batchStreamId('c1', 2));
  });
});
