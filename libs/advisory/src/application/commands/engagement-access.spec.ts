import { fold } from '@app/common';
import { PLAIN_CALENDAR, documentRef, engagementDecider } from '../../domain';
import {
  ANSWERS,
  INVESTOR,
  T0,
  WINDOW_DAYS,
  assessedInvestor,
  at,
  disclosureDoc,
  play,
  product,
  snapshotOf,
  step,
  warningDoc,
} from '../../domain/testing/fixtures';
import { engagementView } from './engagement-access';

describe('the engagement view (investor and compliance)', () => {
  const investor = assessedInvestor(ANSWERS.C2);
  const r3 = product('R3');
  const matched = play(engagementDecider, [
    {
      type: 'MatchSuitability',
      engagementId: 'eng-1',
      investor: snapshotOf(investor, T0),
      product: r3,
      initiatedBy: 'investor',
      attributionWindowDays: WINDOW_DAYS,
      step: step(),
    },
    { type: 'ConfirmRiskDisclosure', engagementId: 'eng-1', document: documentRef(disclosureDoc), step: step(INVESTOR, at(T0, 1000)) },
  ]);

  it('A5: before signing, the special risk warning and the insistence are outstanding', () => {
    expect(engagementView(fold(engagementDecider, matched))?.opinion.outstanding).toEqual(['special_risk_warning', 'insistence']);
  });

  it('A5/E4: once signed, nothing is outstanding and each step shows with its time, actor, channel and document hash', () => {
    const signed = play(
      engagementDecider,
      [
        { type: 'SignSpecialRiskWarning', engagementId: 'eng-1', document: documentRef(warningDoc), step: step(INVESTOR, at(T0, 2000)) },
        { type: 'RecordInsistence', engagementId: 'eng-1', statement: '坚持购买', step: step(INVESTOR, at(T0, 3000)) },
        {
          type: 'SignContract',
          engagementId: 'eng-1',
          serial: 'ADV-2026-000001',
          product: r3,
          calendar: PLAIN_CALENDAR,
          step: step(INVESTOR, at(T0, 4000)),
        },
      ],
      matched,
    );
    const view = engagementView(fold(engagementDecider, signed));
    expect(view?.opinion).toMatchObject({ decision: 'mismatch_allowed_with_warning', outstanding: [] });
    expect(view?.steps.map((s) => [s.kind, s.at, s.actorId, s.channel])).toEqual([
      ['suitability_matching', T0, INVESTOR, 'app'],
      ['risk_disclosure', at(T0, 1000), INVESTOR, 'app'],
      ['special_risk_warning', at(T0, 2000), INVESTOR, 'app'],
      ['insistence', at(T0, 3000), INVESTOR, 'app'],
      ['contract', at(T0, 4000), INVESTOR, 'app'],
    ]);
    expect(view?.steps.find((s) => s.kind === 'special_risk_warning')?.documentHash).toBe(documentRef(warningDoc).contentHash);
  });
});
