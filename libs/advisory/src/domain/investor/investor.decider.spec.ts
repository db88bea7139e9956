import { fold } from '@app/common';
import { given } from '@app/common/testing';
import {
  ANSWERS,
  COMPLIANCE,
  CONSENT_TEXT_HASH,
  DAY,
  INVESTOR,
  LOWEST_ANSWERS,
  T0,
  VALID_NATIONAL_ID,
  assessedInvestor,
  at,
  openAccount,
  play,
  profile,
  snapshotOf,
  step,
} from '../testing/fixtures';
import { nationalIdCheckChar } from '../real-name';
import { RQ_2025_1 } from '../questionnaire';
import { AssessRiskTolerance, DEFAULT_ASSESSMENT_VALIDITY, assessmentStanding, investorDecider, OpenInvestor } from './investor.decider';
import { AssessmentValidityPolicy, InvestorEvent, InvestorEventType, RiskAssessed } from './investor.events';

const opened = (): InvestorEvent[] => play(investorDecider, [openAccount()]);
const assess = (
  assessmentId: string,
  when: string,
  answers = ANSWERS.C3,
  validity: AssessmentValidityPolicy = DEFAULT_ASSESSMENT_VALIDITY,
): AssessRiskTolerance => ({
  type: 'AssessRiskTolerance',
  assessmentId,
  questionnaire: RQ_2025_1,
  answers,
  validity,
  step: step(INVESTOR, when),
});
const withId = (first17: string) => first17 + nationalIdCheckChar(first17);

describe('A1 account opening', () => {
  it('A1: opens an account carrying only masked personal data and the vault reference', () => {
    const events = given(investorDecider).when(openAccount()).thenEvents();
    expect(events).toEqual([
      {
        type: InvestorEventType.AccountOpened,
        data: {
          investorId: INVESTOR,
          piiRef: 'vault:inv-1:v1',
          nationalIdMasked: '1101**********002X',
          mobileMasked: '138****5678',
          legalNameMasked: '张*',
          profile,
          sensitiveDataConsent: { consentTextHash: CONSENT_TEXT_HASH, documentId: 'sensitive-data-consent', version: 'PIPL-2025.1' },
          classification: 'ordinary',
          step: step(),
        },
      },
    ]);
    const json = JSON.stringify(events);
    expect(json).not.toContain(VALID_NATIONAL_ID);
    expect(json).not.toContain('13812345678');
    expect(json).not.toContain('张三');
  });

  it('A1: refuses a national ID with a bad checksum', () => {
    given(investorDecider)
      .when(openAccount({ nationalId: '110105194912310021' }))
      .thenFails('ACCOUNT.NATIONAL_ID_CHECKSUM', 'A1');
  });

  it('A1: refuses a malformed national ID', () => {
    given(investorDecider)
      .when(openAccount({ nationalId: '1101051949' }))
      .thenFails('ACCOUNT.NATIONAL_ID_FORMAT', 'A1');
  });

  it('A1: refuses an impossible birth date in the national ID', () => {
    given(investorDecider)
      .when(openAccount({ nationalId: withId('11010519900230001') }))
      .thenFails('ACCOUNT.NATIONAL_ID_BIRTH_DATE', 'A1');
  });

  it('A1: refuses a minor (17 on the day of opening) and accepts the 18th birthday', () => {
    given(investorDecider)
      .when(openAccount({ nationalId: withId('11010520080303001') }))
      .thenFails('ACCOUNT.NOT_ADULT', 'A1');
    given(investorDecider)
      .when(openAccount({ nationalId: withId('11010520080302001') }))
      .thenEvents();
  });

  it('A1: refuses a mobile number that is not a mainland 11-digit number', () => {
    given(investorDecider)
      .when(openAccount({ mobile: '5551234' }))
      .thenFails('ACCOUNT.MOBILE_INVALID', 'A1');
  });

  it('A1: refuses a missing legal name', () => {
    given(investorDecider)
      .when(openAccount({ legalName: ' ' }))
      .thenFails('ACCOUNT.LEGAL_NAME_INVALID', 'A1');
  });

  it('A1 / SM 6: refuses incomplete suitability data', () => {
    given(investorDecider)
      .when(openAccount({ profile: { ...profile, occupation: '' } }))
      .thenFails('ACCOUNT.SUITABILITY_DATA_INCOMPLETE', 'A1');
    given(investorDecider)
      .when(openAccount({ profile: { ...profile, objectives: { ...profile.objectives, varieties: [] } } }))
      .thenFails('ACCOUNT.SUITABILITY_DATA_INCOMPLETE', 'A1');
  });

  it('A1, A6: refuses a consent whose hash is not that of the consent text served as current', () => {
    const refused = given(investorDecider)
      .when(openAccount({ sensitiveDataConsent: { given: true, consentTextHash: 'a'.repeat(64) } }))
      .thenFails('ACCOUNT.CONSENT_TEXT_UNKNOWN', 'A1');
    expect(refused.details).toMatchObject({ documentKind: 'sensitive_data_consent', currentVersion: 'PIPL-2025.1' });
  });

  it('A1 / PIPL 29: refuses without separate consent for sensitive personal information', () => {
    given(investorDecider)
      .when(openAccount({ sensitiveDataConsent: { given: false, consentTextHash: 'a'.repeat(64) } }))
      .thenFails('ACCOUNT.SENSITIVE_DATA_CONSENT_MISSING', 'A1');
  });

  it('A1: an account opens once', () => {
    given(investorDecider, opened()).when(openAccount()).thenFails('ACCOUNT.ALREADY_OPENED', 'A1');
  });

  it('A1: nothing else happens before the account is open', () => {
    given(investorDecider).when(assess('asm-1', T0)).thenFails('ACCOUNT.NOT_OPENED', 'A1');
  });

  it('E3: destroying the personal data key is itself an event', () => {
    given(investorDecider, opened())
      .when({ type: 'ShredPersonalData', reason: 'PIPL 47 deletion request', step: step(COMPLIANCE) })
      .then([
        {
          type: InvestorEventType.PersonalDataShredded,
          data: { investorId: INVESTOR, piiRef: 'vault:inv-1:v1', reason: 'PIPL 47 deletion request', step: step(COMPLIANCE) },
        },
      ]);
  });
});

describe('A2 classification', () => {
  const evidence = {
    financialAssetsMinor: 600_000_000,
    experienceYears: 3,
    documents: [{ kind: 'brokerage_statement', contentHash: 'b'.repeat(64) }],
  };
  const applied = () =>
    play(investorDecider, [{ type: 'ApplyForProfessionalStatus', applicationId: 'app-1', evidence, step: step() }], opened());
  const review = (actorId: string, roles: string[], approve = true) => ({
    type: 'ReviewProfessionalApplication' as const,
    applicationId: 'app-1',
    approve,
    reason: approve ? '' : 'statement older than 3 months',
    reviewerRoles: roles,
    step: step(actorId),
  });

  it('A2: an account is ordinary by default', () => {
    expect((fold(investorDecider, opened()) as OpenInvestor).classification).toBe('ordinary');
  });

  it('A2: ¥5m of financial assets and 2 years of experience, with evidence, make an application', () => {
    given(investorDecider, opened())
      .when({ type: 'ApplyForProfessionalStatus', applicationId: 'app-1', evidence, step: step() })
      .then([
        {
          type: InvestorEventType.ProfessionalStatusApplied,
          data: { investorId: INVESTOR, applicationId: 'app-1', evidence, step: step() },
        },
      ]);
  });

  it('A2: ¥500k average income over 3 years also qualifies', () => {
    given(investorDecider, opened())
      .when({
        type: 'ApplyForProfessionalStatus',
        applicationId: 'app-1',
        evidence: { ...evidence, financialAssetsMinor: 0, averageAnnualIncome3yMinor: 50_000_000 },
        step: step(),
      })
      .thenEvents();
  });

  it('A2: below the thresholds the application is refused', () => {
    given(investorDecider, opened())
      .when({
        type: 'ApplyForProfessionalStatus',
        applicationId: 'app-1',
        evidence: { ...evidence, financialAssetsMinor: 499_999_999, averageAnnualIncome3yMinor: 49_999_999 },
        step: step(),
      })
      .thenFails('CLASSIFICATION.THRESHOLDS_NOT_MET', 'A2');
    given(investorDecider, opened())
      .when({ type: 'ApplyForProfessionalStatus', applicationId: 'app-1', evidence: { ...evidence, experienceYears: 1 }, step: step() })
      .thenFails('CLASSIFICATION.THRESHOLDS_NOT_MET', 'A2');
  });

  it('A2: an application needs documentary evidence', () => {
    given(investorDecider, opened())
      .when({ type: 'ApplyForProfessionalStatus', applicationId: 'app-1', evidence: { ...evidence, documents: [] }, step: step() })
      .thenFails('CLASSIFICATION.EVIDENCE_MISSING', 'A2');
  });

  it('A2: a compliance officer approves, and the investor becomes professional', () => {
    const events = play(investorDecider, [review(COMPLIANCE, ['compliance_officer'])], applied());
    expect(events[events.length - 1]).toEqual({
      type: InvestorEventType.ProfessionalStatusApproved,
      data: { investorId: INVESTOR, applicationId: 'app-1', step: step(COMPLIANCE) },
    });
    expect((fold(investorDecider, events) as OpenInvestor).classification).toBe('professional');
  });

  it('A2 maker-checker: the applicant cannot approve their own application, even holding the compliance role', () => {
    given(investorDecider, applied())
      .when(review(INVESTOR, ['compliance_officer']))
      .thenFails('CLASSIFICATION.SELF_APPROVAL', 'A2');
  });

  it('A2: only a compliance officer approves', () => {
    given(investorDecider, applied())
      .when(review('staff-admin', ['admin']))
      .thenFails('CLASSIFICATION.REVIEWER_NOT_COMPLIANCE', 'A2');
  });

  it('A2: a rejection keeps the investor ordinary and records its reason', () => {
    const events = play(investorDecider, [review(COMPLIANCE, ['compliance_officer'], false)], applied());
    expect(events[events.length - 1].type).toBe(InvestorEventType.ProfessionalStatusRejected);
    expect((fold(investorDecider, events) as OpenInvestor).classification).toBe('ordinary');
  });
});

describe('A3 risk assessment', () => {
  it('A3: scores the questionnaire, records version, hash and answers, valid 12 months by default', () => {
    const [event] = given(investorDecider, opened()).when(assess('asm-1', T0)).thenEvents();
    expect(event).toMatchObject({
      type: InvestorEventType.RiskAssessed,
      data: {
        assessmentId: 'asm-1',
        questionnaireVersion: 'RQ-2025.1',
        score: 39,
        category: 'C3',
        lowestCategory: false,
        validUntil: '2027-03-02T02:00:00.000Z',
        answers: ANSWERS.C3,
      },
    });
    expect(event.type === InvestorEventType.RiskAssessed && event.data.questionnaireHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('A3: the validity is the firm policy in force, recorded with its version in the assessment event', () => {
    const [event] = given(investorDecider, opened())
      .when(assess('asm-1', T0, ANSWERS.C3, { version: 'AVP-2026.2', months: 6 }))
      .thenEvents();
    expect(event.data).toMatchObject({ validUntil: '2026-09-02T02:00:00.000Z', validityPolicy: { version: 'AVP-2026.2', months: 6 } });
  });

  it('A3: an assessment recorded with a longer validity than the policy in force is held to the policy (expired 12 months after it was taken)', () => {
    // Recorded before validity was policy: the investor chose 24 months and the event says so; its bytes stay as they are.
    const legacy: RiskAssessed = {
      type: InvestorEventType.RiskAssessed,
      data: {
        investorId: INVESTOR,
        assessmentId: 'asm-old',
        questionnaireVersion: 'RQ-2025.1',
        questionnaireHash: 'f'.repeat(64),
        answers: ANSWERS.C3,
        score: 39,
        category: 'C3',
        lowestCategory: false,
        lowestCategoryReasons: [],
        validUntil: '2028-03-02T02:00:00.000Z',
        step: step(INVESTOR, T0),
      },
    };
    const events = play(investorDecider, [{ type: 'ConfirmRiskAssessment', assessmentId: 'asm-old', step: step() }], [...opened(), legacy]);
    const thirteenMonthsLater = '2027-04-02T02:00:00.000Z';
    expect(snapshotOf(events, at('2027-03-02T02:00:00.000Z', -1)).standing).toMatchObject({
      inForce: true,
      assessment: { validUntil: '2027-03-02T02:00:00.000Z' },
    });
    expect(snapshotOf(events, thirteenMonthsLater).standing).toMatchObject({ inForce: false, reason: 'expired' });
    expect(snapshotOf(events, thirteenMonthsLater, { version: 'AV-24M', months: 24 }).standing).toMatchObject({ inForce: true });
  });

  it('A3: the lowest category is flagged', () => {
    const [event] = given(investorDecider, opened())
      .when(assess('asm-1', T0, LOWEST_ANSWERS))
      .thenEvents();
    expect(event.data).toMatchObject({ category: 'C1', lowestCategory: true, lowestCategoryReasons: ['unwilling_to_bear_any_loss'] });
  });

  it('A3: incomplete answers are refused', () => {
    given(investorDecider, opened())
      .when(assess('asm-1', T0, { q01_civil_capacity: 'a' }))
      .thenFails('ASSESSMENT.ANSWERS_INCOMPLETE', 'A3');
  });

  it('A3: a third assessment in one calendar day is refused', () => {
    const twice = play(investorDecider, [assess('asm-1', T0), assess('asm-2', at(T0, 3_600_000))], opened());
    given(investorDecider, twice)
      .when(assess('asm-3', at(T0, 7_200_000)))
      .thenFails('ASSESSMENT.DAILY_LIMIT', 'A3');
  });

  it('A3: the daily limit resets on the next Beijing calendar day', () => {
    const twice = play(investorDecider, [assess('asm-1', T0), assess('asm-2', at(T0, 3_600_000))], opened());
    // T0 is 10:00 Beijing; +14h is 00:00 the next Beijing day.
    given(investorDecider, twice)
      .when(assess('asm-3', at(T0, 14 * 3_600_000)))
      .thenEvents();
  });

  it('A3: a ninth assessment within a rolling 12 months is refused, and allowed again once the oldest falls out', () => {
    const eight = play(
      investorDecider,
      Array.from({ length: 8 }, (_, i) => assess(`asm-${i}`, at(T0, i * 30 * DAY))),
      opened(),
    );
    given(investorDecider, eight)
      .when(assess('asm-9', at(T0, 300 * DAY)))
      .thenFails('ASSESSMENT.ANNUAL_LIMIT', 'A3');
    given(investorDecider, eight)
      .when(assess('asm-9', at(T0, 366 * DAY)))
      .thenEvents();
  });

  it('A3: the result is in force only once the investor confirms it', () => {
    const assessed = play(investorDecider, [assess('asm-1', T0)], opened());
    expect(assessmentStanding(fold(investorDecider, assessed) as OpenInvestor, T0, DEFAULT_ASSESSMENT_VALIDITY)).toMatchObject({
      inForce: false,
      reason: 'unconfirmed',
    });
    const confirmed = play(investorDecider, [{ type: 'ConfirmRiskAssessment', assessmentId: 'asm-1', step: step() }], assessed);
    expect(assessmentStanding(fold(investorDecider, confirmed) as OpenInvestor, T0, DEFAULT_ASSESSMENT_VALIDITY)).toMatchObject({
      inForce: true,
    });
  });

  it('A3: only the investor confirms their own result', () => {
    const assessed = play(investorDecider, [assess('asm-1', T0)], opened());
    given(investorDecider, assessed)
      .when({ type: 'ConfirmRiskAssessment', assessmentId: 'asm-1', step: step('someone-else') })
      .thenFails('ASSESSMENT.NOT_BY_INVESTOR', 'A3');
  });

  it('A3: an assessment expires at the end of its validity', () => {
    const events = assessedInvestor(ANSWERS.C3);
    expect(snapshotOf(events, at('2027-03-02T02:00:00.000Z', -1)).standing.inForce).toBe(true);
    expect(snapshotOf(events, '2027-03-02T02:00:00.000Z').standing).toMatchObject({ inForce: false, reason: 'expired' });
  });

  it('A3: a reported material change withdraws the assessment in force and forces a new one', () => {
    const events = assessedInvestor(ANSWERS.C3);
    const [change] = given(investorDecider, events)
      .when({
        type: 'ReportMaterialChange',
        description: 'lost my job',
        profile: { ...profile, occupation: 'unemployed', incomeBand: 'under_100k' },
        step: step(),
      })
      .thenEvents();
    expect(change.data).toMatchObject({ withdrawnAssessmentId: 'asm-1' });
    expect(snapshotOf([...events, change], T0).standing).toMatchObject({ inForce: false, reason: 'withdrawn' });
    given(investorDecider, [...events, change])
      .when({ type: 'ConfirmRiskAssessment', assessmentId: 'asm-1', step: step() })
      .thenFails('ASSESSMENT.ALREADY_CONFIRMED', 'A3');
  });

  it('A3: the history of assessments is kept', () => {
    const events = play(investorDecider, [assess('asm-2', at(T0, DAY), ANSWERS.C5)], assessedInvestor(ANSWERS.C3));
    const state = fold(investorDecider, events) as OpenInvestor;
    expect(state.assessments.map((a) => [a.assessmentId, a.category])).toEqual([
      ['asm-1', 'C3'],
      ['asm-2', 'C5'],
    ]);
  });
});

describe('A5 recorded contacts', () => {
  const contact = (overrides: Record<string, unknown> = {}) => ({
    type: 'RecordContact' as const,
    investorId: INVESTOR,
    contactId: 'ct-1',
    productId: 'prod-1',
    source: 'campaign' as const,
    reference: 'cmp-42',
    step: step('pm-1', T0),
    ...overrides,
  });

  it('A5: a contact is recorded on the investor stream, before or after the account is opened, and the latest per product is kept', () => {
    const [before] = given(investorDecider).when(contact()).thenEvents();
    expect(before).toEqual({
      type: InvestorEventType.InvestorContacted,
      data: {
        investorId: INVESTOR,
        contactId: 'ct-1',
        productId: 'prod-1',
        source: 'campaign',
        reference: 'cmp-42',
        step: step('pm-1', T0),
      },
    });
    const events = play(
      investorDecider,
      [openAccount(), contact({ contactId: 'ct-2', source: 'advisor_contact', step: step(COMPLIANCE, at(T0, DAY)) })],
      [before],
    );
    expect(snapshotOf(events, at(T0, DAY)).contacts).toEqual({
      'prod-1': {
        contactId: 'ct-2',
        productId: 'prod-1',
        source: 'advisor_contact',
        reference: 'cmp-42',
        step: step(COMPLIANCE, at(T0, DAY)),
      },
    });
  });

  it('A5: the investor cannot record a contact with themselves', () => {
    given(investorDecider, opened())
      .when(contact({ step: step(INVESTOR, T0) }))
      .thenFails('CONTACT.BY_INVESTOR', 'A5');
  });
});
