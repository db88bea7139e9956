import { FUNNEL_STAGES } from './segments';
import { funnelStageOf, mergeFunnel, stagesReached } from './activity';

describe('activity as funnel evidence (seed 004 stages)', () => {
  it('maps what the app and the log observe to 感知业务 … 进行交易', () => {
    expect(
      ['listing_viewed', 'watchlist_added', 'rules_read', 'simulated_trade', 'account_opened', 'suitability_matched', 'purchased'].map(
        funnelStageOf,
      ),
    ).toEqual(FUNNEL_STAGES);
    expect(funnelStageOf('lesson_completed')).toBe('learned_rules');
    expect(funnelStageOf('logged_in')).toBeNull();
    expect(funnelStageOf('toString')).toBeNull();
  });

  it('reaching a stage implies the earlier ones, and each stage keeps its earliest instant', () => {
    const early = new Date('2026-12-01T00:00:00Z');
    const late = new Date('2026-12-05T00:00:00Z');
    const bought = stagesReached('transacted', late);
    expect([...bought.keys()]).toEqual(FUNNEL_STAGES);
    const merged = mergeFunnel(bought, stagesReached('interested', early));
    expect(merged.get('aware')).toEqual(early);
    expect(merged.get('interested')).toEqual(early);
    expect(merged.get('learned_rules')).toEqual(late);
  });
});
