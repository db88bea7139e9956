/** Shared test data for the advisory deciders: an adult investor, answer sets per category, products, documents. */
import { Decider, DomainEvent, fold, isDomainError } from '@app/common';
import { currentDocument } from '../document-texts';
import { Advisor, DocumentVersion, contentHash, documentRef } from '../documents';
import { AdvisoryProductSnapshot } from '../engagement';
import {
  DEFAULT_ASSESSMENT_VALIDITY,
  InvestorSnapshot,
  OpenAccount,
  investorDecider,
  investorSnapshot,
  InvestorCommand,
} from '../investor/investor.decider';
import { InvestorEvent, SuitabilityProfile } from '../investor/investor.events';
import { Answers, RQ_2025_1 } from '../questionnaire';
import { RiskCategory, RiskLevel, Step } from '../shared';

/** The hash of the consent text served as current (A1). */
export const CONSENT_TEXT_HASH = contentHash(currentDocument('sensitive_data_consent')!.text);

/** Monday 2026-03-02, 10:00 in Beijing. */
export const T0 = '2026-03-02T02:00:00.000Z';
export const at = (iso: string, plusMs = 0): string => new Date(Date.parse(iso) + plusMs).toISOString();
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export const INVESTOR = 'inv-1';
export const COMPLIANCE = 'staff-compliance-1';
export const ADVISOR_ID = 'advisor-1';

export const step = (actorId: string = INVESTOR, when: string = T0): Step => ({ actorId, at: when, channel: 'app' });

/** A public GB 11643 example number (Beijing, born 1949-12-31). */
export const VALID_NATIONAL_ID = '11010519491231002X';

export const profile: SuitabilityProfile = {
  occupation: 'software engineer',
  incomeBand: '100k_500k',
  assetsBand: '500k_3m',
  experienceYears: 3,
  objectives: { goal: 'growth', varieties: ['equities', 'funds'], horizon: 'long' },
};

export const openAccount = (overrides: Partial<OpenAccount> = {}): OpenAccount => ({
  type: 'OpenAccount',
  investorId: INVESTOR,
  piiRef: 'vault:inv-1:v1',
  legalName: '张三',
  nationalId: VALID_NATIONAL_ID,
  mobile: '13812345678',
  profile,
  sensitiveDataConsent: { given: true, consentTextHash: CONSENT_TEXT_HASH },
  step: step(),
  ...overrides,
});

const base: Record<string, string> = {
  q01_civil_capacity: 'a',
  q02_age: 'e',
  q03_income: 'a',
  q04_assets: 'a',
  q05_debt: 'a',
  q06_experience_years: 'a',
  q07_products_held: 'a',
  q08_knowledge: 'a',
  q09_objective: 'a',
  q10_horizon: 'a',
  q11_loss_tolerance: 'b',
  q12_drawdown_reaction: 'a',
};

/** Answer sets scoring 12 (C1), 24 (C2), 39 (C3), 57 (C4) and 100 (C5) on RQ-2025.1. */
export const ANSWERS: Record<RiskCategory, Answers> = {
  C1: base,
  C2: { ...base, q02_age: 'b', q05_debt: 'c' },
  C3: { ...base, q02_age: 'b', q05_debt: 'c', q06_experience_years: 'c', q08_knowledge: 'b', q09_objective: 'c' },
  C4: {
    ...base,
    q02_age: 'b',
    q05_debt: 'c',
    q06_experience_years: 'c',
    q08_knowledge: 'b',
    q09_objective: 'c',
    q10_horizon: 'd',
    q11_loss_tolerance: 'd',
    q12_drawdown_reaction: 'c',
  },
  C5: Object.fromEntries(RQ_2025_1.questions.map((q) => [q.id, q.options.reduce((best, o) => (o.score > best.score ? o : best)).id])),
};
/** Unwilling to bear any loss: the lowest category. */
export const LOWEST_ANSWERS: Answers = { ...ANSWERS.C1, q11_loss_tolerance: 'a' };

/** Runs commands through a decider, failing the test on the first refusal; returns the history they produced. */
export const play = <C, E extends DomainEvent, S>(decider: Decider<C, E, S>, commands: readonly C[], history: readonly E[] = []): E[] => {
  const events = [...history];
  for (const command of commands) {
    const result = decider.decide(command, fold(decider, events));
    if (isDomainError(result)) throw new Error(`setup command refused: ${result.code}: ${result.message}`);
    events.push(...result);
  }
  return events;
};

/** An investor with an open account and a confirmed assessment of the given category, assessed at `when`. */
export const assessedInvestor = (answers: Answers, when: string = T0, extra: InvestorCommand[] = []): InvestorEvent[] =>
  play(investorDecider, [
    openAccount({ step: step(INVESTOR, when) }),
    {
      type: 'AssessRiskTolerance',
      assessmentId: 'asm-1',
      questionnaire: RQ_2025_1,
      answers,
      validity: DEFAULT_ASSESSMENT_VALIDITY,
      step: step(INVESTOR, when),
    },
    { type: 'ConfirmRiskAssessment', assessmentId: 'asm-1', step: step(INVESTOR, when) },
    ...extra,
  ]);

export const snapshotOf = (events: readonly InvestorEvent[], when: string, policy = DEFAULT_ASSESSMENT_VALIDITY): InvestorSnapshot =>
  investorSnapshot(fold(investorDecider, events), INVESTOR, when, policy);

/** The attribution window the deciders are tested with (A5). */
export const WINDOW_DAYS = 30;

export const advisor: Advisor = { advisorId: ADVISOR_ID, name: '李明', sacRegistrationCode: 'A0120620070001' };

export const disclosureDoc: DocumentVersion = {
  documentId: 'risk-disclosure',
  kind: 'risk_disclosure',
  version: '2025.1',
  text: 'Securities investment advisory risk disclosure / 证券投资顾问业务风险揭示书 ... investing involves risk of loss.',
};

export const warningDoc: DocumentVersion = {
  documentId: 'special-risk-warning',
  kind: 'special_risk_warning',
  version: '2025.1',
  text: 'Special risk warning / 特别风险警示书: this product is above your assessed risk tolerance.',
};

export const product = (riskLevel: RiskLevel = 'R3', overrides: Partial<AdvisoryProductSnapshot> = {}): AdvisoryProductSnapshot => ({
  productId: 'prod-1',
  planId: 'plan-q',
  name: 'Steady Alpha stock-picking strategy',
  published: true,
  riskLevel,
  ratingVersion: 1,
  horizon: 'medium',
  varieties: ['equities'],
  advisors: [advisor],
  feeBasis: { kind: 'fixed_per_period', amountMinor: 99_900, currency: 'CNY', periodMonths: 3 },
  riskDisclosure: documentRef(disclosureDoc),
  specialRiskWarning: documentRef(warningDoc),
  contractTemplateVersion: 'AC-2025.1',
  ...overrides,
});
