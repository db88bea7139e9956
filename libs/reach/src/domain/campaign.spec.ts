import { deciderSpec } from '@app/common/testing';
import { CampaignCommand, CampaignEvent, campaignDecider, CampaignSpec, inControlGroup, triggerFires } from './campaign';

const spec = deciderSpec(campaignDecider);
const step = { actorId: 'pm', at: '2026-12-02T02:00:00.000Z', channel: 'web' as const };
const campaign: CampaignSpec = {
  campaignId: 'c1',
  name: 'index up',
  segment: { kind: 'inactive', days: 7 },
  channel: 'in_app',
  template: { title: 't', body: 'b', productId: null, productFamily: null, incentive: null },
  schedule: { kind: 'index_rise', indexCode: '000001.SH', risePercent: 2 },
  controlPercent: 10,
  outcome: { kind: 'returned', days: 3 },
};
const created: CampaignEvent = { type: 'reach.CampaignCreated', data: { ...campaign, step } };
const started: CampaignEvent = {
  type: 'reach.CampaignStarted',
  data: { campaignId: 'c1', reason: 'trigger', trigger: { indexCode: '000001.SH', date: '2026-12-02', changePercent: 2.5 }, step },
};
const batch = (n: number, after: string | null, last: string | null): Extract<CampaignCommand, { type: 'RecordBatch' }> => ({
  type: 'RecordBatch',
  batch: n,
  after,
  last,
  attempted: 9,
  refused: { 'REACH.NO_CONSENT': 1 },
  control: ['x'],
  step,
});

describe('campaigns: run once, in checkpointed batches', () => {
  it('given a created trigger campaign, when the trigger fires, then it starts', () => {
    spec
      .given([created])
      .when({ type: 'StartCampaign', reason: 'trigger', trigger: { indexCode: '000001.SH', date: '2026-12-02', changePercent: 2.5 }, step })
      .then([started]);
  });
  it('given a running campaign, when batch 1 is recorded from the start, then the cursor moves to its last investor', () => {
    const [event] = spec
      .given([created, started])
      .when(batch(1, null, 'inv-9'))
      .thenEvents();
    expect(event).toMatchObject({ type: 'reach.CampaignBatchFannedOut', data: { batch: 1, after: null, last: 'inv-9' } });
  });
  it('given batch 1 recorded, when batch 1 is decided again after a crash, then nothing is recorded twice', () => {
    const first = spec
      .given([created, started])
      .when(batch(1, null, 'inv-9'))
      .thenEvents();
    spec
      .given([created, started, ...first])
      .when(batch(1, null, 'inv-9'))
      .then([]);
  });
  it('given batch 1 recorded, when a batch claims another starting cursor, then it is refused', () => {
    const first = spec
      .given([created, started])
      .when(batch(1, null, 'inv-9'))
      .thenEvents();
    spec
      .given([created, started, ...first])
      .when(batch(2, 'inv-5', 'inv-20'))
      .thenFails('REACH.BATCH_OUT_OF_ORDER');
  });
  it('given a completed campaign, when it is started again, then it is refused: a campaign runs once', () => {
    spec
      .given([created, started, { type: 'reach.CampaignCompleted', data: { campaignId: 'c1', step } }])
      .when({ type: 'StartCampaign', reason: 'manual', trigger: null, step })
      .thenFails('REACH.CAMPAIGN_ALREADY_RAN');
  });
  it('a campaign that does not exist cannot be started', () => {
    spec.given([]).when({ type: 'StartCampaign', reason: 'manual', trigger: null, step }).thenFails('REACH.CAMPAIGN_NOT_FOUND');
  });
  it('G2: a control group above half the segment is refused', () => {
    spec
      .given([])
      .when({ type: 'CreateCampaign', spec: { ...campaign, controlPercent: 60 }, step })
      .thenFails('REACH.CONTROL_GROUP_INVALID', 'G2');
  });
  it('the control group is stable per campaign and close to its share', () => {
    const ids = Array.from({ length: 20_000 }, (_, i) => `inv-${i}`);
    const held = ids.filter((id) => inControlGroup('c1', id, 10));
    expect(held.length / ids.length).toBeGreaterThan(0.09);
    expect(held.length / ids.length).toBeLessThan(0.11);
    expect(ids.filter((id) => inControlGroup('c1', id, 10))).toEqual(held);
    expect(ids.filter((id) => inControlGroup('c1', id, 0))).toEqual([]);
  });
  it('the trigger fires when the index rose by at least the percentage in a day', () => {
    expect(triggerFires(campaign.schedule, { indexCode: '000001.SH', date: '2026-12-02', changePercent: 2 })).toBe(true);
    expect(triggerFires(campaign.schedule, { indexCode: '000001.SH', date: '2026-12-02', changePercent: 1.99 })).toBe(false);
    expect(triggerFires(campaign.schedule, { indexCode: '399001.SZ', date: '2026-12-02', changePercent: 5 })).toBe(false);
  });
});
