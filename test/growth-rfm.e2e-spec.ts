import { DataSource } from 'typeorm';
import { AnalyticsService, scoreRfm } from '@app/growth';
import { createTestApp, TestApp } from './support/app';

/** The SQL rescoring of RFM against the pure reference (domain/rfm.ts), over payers with ties and spread. */
describe('RFM rescoring in PostgreSQL', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ GROWTH_FEED_DISABLED: 'true' });
  });
  afterAll(() => t.close());

  it('given 37 payers, when rescored, then every investor has the quintile scores and segment of the pure scoring, and the summary adds up', async () => {
    const asOf = new Date('2026-12-02T04:00:00.000Z');
    t.clock.set(asOf);
    const payers = Array.from({ length: 37 }, (_, i) => ({
      investorId: `payer-${String(i).padStart(2, '0')}`,
      lastPaymentAt: new Date(asOf.getTime() - ((i * 17) % 200) * 86_400_000 - 3600_000),
      payments: 1 + ((i * 7) % 9),
      monetaryMinor: 1000 * (1 + ((i * 13) % 25)),
    }));
    const db = t.app.get(DataSource);
    for (const payer of payers) {
      await db.query('INSERT INTO growth_rfm (investor_id, last_payment_at, payments, monetary_minor) VALUES ($1, $2, $3, $4)', [
        payer.investorId,
        payer.lastPaymentAt.toISOString(),
        payer.payments,
        payer.monetaryMinor,
      ]);
    }
    const report = await t.app.get(AnalyticsService).refreshRfm();
    const rows: { investor_id: string; r: number; f: number; m: number; segment: string }[] = await db.query(
      'SELECT investor_id, r, f, m, segment FROM growth_rfm_scores ORDER BY investor_id',
    );
    expect(rows.map((row) => ({ investorId: row.investor_id, r: row.r, f: row.f, m: row.m, segment: row.segment }))).toEqual(
      scoreRfm(payers, asOf),
    );
    expect(report.segments.reduce((sum, segment) => sum + segment.investors, 0)).toBe(37);
    expect(report.segments.reduce((sum, segment) => sum + segment.monetaryMinor, 0)).toBe(
      payers.reduce((sum, payer) => sum + payer.monetaryMinor, 0),
    );
  });
});
