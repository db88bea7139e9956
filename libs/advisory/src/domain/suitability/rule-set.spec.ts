import fc from 'fast-check';
import { ASSETS_BANDS, Classification, HORIZONS, RISK_CATEGORIES, RISK_LEVELS, RiskCategory, RiskLevel, VARIETIES } from '../shared';
import {
  Initiator,
  SUITABILITY_RULE_SET_VERSION,
  SuitabilityDecision,
  SuitabilityInvestor,
  SuitabilityProduct,
  checkSuitability,
  filterListable,
  isListableFor,
} from './rule-set';

const investor = (category: RiskCategory, overrides: Partial<SuitabilityInvestor> = {}): SuitabilityInvestor => ({
  classification: 'ordinary',
  category,
  lowestCategory: false,
  objectives: { goal: 'growth', varieties: ['equities'], horizon: 'long' },
  experienceYears: 3,
  assetsBand: '500k_3m',
  ...overrides,
});

const product = (riskLevel: RiskLevel, overrides: Partial<SuitabilityProduct> = {}): SuitabilityProduct => ({
  riskLevel,
  horizon: 'medium',
  varieties: ['equities'],
  ...overrides,
});

const purchase = (initiatedBy: Initiator = 'investor', signed = true) => ({
  initiatedBy,
  specialRiskWarningSigned: signed,
  insistenceRecorded: signed,
  stage: 'purchase' as const,
});

const codes = (r: ReturnType<typeof checkSuitability>) => r.fired.map((f) => f.code);

describe('A4 suitability matching, rule set SM-2025.1', () => {
  it.each([
    ['C1', 'R1'],
    ['C2', 'R2'],
    ['C3', 'R3'],
    ['C4', 'R4'],
    ['C5', 'R5'],
    ['C3', 'R1'],
  ] as const)('A4: %s matches %s', (c, r) => {
    const result = checkSuitability(investor(c), product(r), purchase('recommendation', false));
    expect(result).toMatchObject({ decision: 'match', ruleSetVersion: SUITABILITY_RULE_SET_VERSION, levelFit: 'within' });
    expect(result.fired).toEqual([{ rule: 'A4', code: 'SUITABILITY.WITHIN_TOLERANCE', ref: 'SM 18', blocking: false }]);
  });

  it('A4 / SM 22(4): a product whose horizon exceeds the investor’s is an objectives mismatch', () => {
    const result = checkSuitability(
      investor('C5', { objectives: { goal: 'growth', varieties: ['equities'], horizon: 'short' } }),
      product('R1'),
      purchase('push'),
    );
    expect(result.decision).toBe('refused');
    expect(codes(result)).toEqual(['SUITABILITY.OBJECTIVES_MISMATCH', 'SUITABILITY.MISMATCH_NOT_INVESTOR_INITIATED']);
    expect(result.fired[1].ref).toBe('SM 22(4)');
  });

  it('A4 / SM 22(4): a product investing in any variety the investor does not seek is an objectives mismatch', () => {
    expect(checkSuitability(investor('C5'), product('R1', { varieties: ['equities', 'derivatives'] }), purchase()).objectiveFit).toBe(
      false,
    );
  });

  it('A2: a professional investor may buy any risk level', () => {
    const result = checkSuitability(investor('C1', { classification: 'professional' }), product('R5'), purchase('recommendation', false));
    expect(result.decision).toBe('match');
    expect(codes(result)).toEqual(['SUITABILITY.PROFESSIONAL_ANY_LEVEL']);
  });
});

describe('A5 mismatch: above-level only when every condition holds', () => {
  it('A5 / SM 22(5): the lowest category asking for R2 is refused, even on own initiative with a signed warning', () => {
    const result = checkSuitability(investor('C1', { lowestCategory: true }), product('R2'), purchase('investor', true));
    expect(result.decision).toBe('refused');
    expect(result.fired).toContainEqual({ rule: 'A5', code: 'SUITABILITY.LOWEST_CATEGORY_ABOVE_R1', ref: 'SM 22(5)', blocking: true });
  });

  it('A5 / SM 19: C2 asking for R3 on own initiative with the warning signed and insistence recorded is allowed with warning', () => {
    const result = checkSuitability(investor('C2'), product('R3'), purchase('investor', true));
    expect(result.decision).toBe('mismatch_allowed_with_warning');
    expect(codes(result)).toEqual(['SUITABILITY.ABOVE_RISK_TOLERANCE', 'SUITABILITY.INVESTOR_INSISTED_AFTER_WARNING']);
  });

  it.each(['recommendation', 'push'] as const)('A5 / SM 22(3): C2 and R3 %sed to the investor is refused', (initiatedBy) => {
    const result = checkSuitability(investor('C2'), product('R3'), purchase(initiatedBy, true));
    expect(result.decision).toBe('refused');
    expect(result.fired).toContainEqual({
      rule: 'A5',
      code: 'SUITABILITY.MISMATCH_NOT_INVESTOR_INITIATED',
      ref: 'SM 22(3)',
      blocking: true,
    });
  });

  it('A5 / SM 19: at the opinion stage the warning and insistence are outstanding, not refusals', () => {
    const result = checkSuitability(investor('C2'), product('R3'), {
      initiatedBy: 'investor',
      specialRiskWarningSigned: false,
      insistenceRecorded: false,
      stage: 'opinion',
    });
    expect(result).toMatchObject({ decision: 'mismatch_allowed_with_warning', outstanding: ['special_risk_warning', 'insistence'] });
  });

  it('A5 / SM 19: at purchase a missing warning or insistence refuses', () => {
    const result = checkSuitability(investor('C2'), product('R3'), {
      initiatedBy: 'investor',
      specialRiskWarningSigned: true,
      insistenceRecorded: false,
      stage: 'purchase',
    });
    expect(result.decision).toBe('refused');
    expect(codes(result)).toContain('SUITABILITY.INSISTENCE_NOT_RECORDED');
  });

  it('A5 / SM 22(1): unmet access thresholds refuse, even within level', () => {
    const result = checkSuitability(
      investor('C4', { assetsBand: 'under_500k' }),
      product('R3', { access: { minFinancialAssetsMinor: 50_000_000 } }),
      purchase(),
    );
    expect(result.decision).toBe('refused');
    expect(codes(result)).toContain('SUITABILITY.ACCESS_THRESHOLD_NOT_MET');
  });
});

/**
 * The whole matrix against an expectation written from domain.md alone, without looking at the engine: every
 * category, level, initiator, lowest-category flag, classification and signature state.
 */
const expectedDecision = (
  c: number,
  r: number,
  initiator: Initiator,
  lowest: boolean,
  classification: Classification,
  signed: boolean,
): SuitabilityDecision => {
  if (classification === 'professional') return 'match';
  const tolerance = lowest ? 1 : c;
  if (r <= tolerance) return 'match';
  if (lowest) return 'refused';
  if (initiator !== 'investor') return 'refused';
  if (!signed) return 'refused';
  return 'mismatch_allowed_with_warning';
};

describe('A4–A5 the C1–C5 × R1–R5 × initiator × lowest-category matrix', () => {
  const rows: [RiskCategory, RiskLevel, Initiator, boolean, Classification, boolean][] = [];
  for (const c of RISK_CATEGORIES)
    for (const r of RISK_LEVELS)
      for (const initiator of ['investor', 'recommendation', 'push'] as const)
        for (const lowest of [false, true])
          for (const classification of ['ordinary', 'professional'] as const)
            for (const signed of [false, true]) rows.push([c, r, initiator, lowest, classification, signed]);

  it(`covers ${5 * 5 * 3 * 2 * 2 * 2} cases`, () => {
    expect(rows).toHaveLength(600);
  });

  it.each(rows)('%s buying %s, initiated by %s, lowest=%s, %s, signed=%s', (c, r, initiator, lowest, classification, signed) => {
    const result = checkSuitability(investor(c, { lowestCategory: lowest, classification }), product(r), purchase(initiator, signed));
    expect(result.decision).toBe(expectedDecision(Number(c[1]), Number(r[1]), initiator, lowest, classification, signed));
    expect(result.ruleSetVersion).toBe('SM-2025.1');
    expect(result.fired.length).toBeGreaterThan(0);
  });
});

describe('A4–A5 properties over objectives and access too', () => {
  const arbitraryInvestor = fc.record({
    classification: fc.constantFrom<Classification>('ordinary', 'professional'),
    category: fc.constantFrom(...RISK_CATEGORIES),
    lowestCategory: fc.boolean(),
    objectives: fc.record({
      goal: fc.constant('growth' as const),
      varieties: fc.uniqueArray(fc.constantFrom(...VARIETIES), { minLength: 1 }),
      horizon: fc.constantFrom(...HORIZONS),
    }),
    experienceYears: fc.integer({ min: 0, max: 20 }),
    assetsBand: fc.constantFrom(...ASSETS_BANDS),
  });
  const arbitraryProduct = fc.record({
    riskLevel: fc.constantFrom(...RISK_LEVELS),
    horizon: fc.constantFrom(...HORIZONS),
    varieties: fc.uniqueArray(fc.constantFrom(...VARIETIES, 'crypto'), { minLength: 1, maxLength: 3 }),
    access: fc.option(fc.record({ minExperienceYears: fc.integer({ min: 0, max: 5 }) }), { nil: undefined }),
  });
  const arbitraryRequest = fc.record({
    initiatedBy: fc.constantFrom<Initiator>('investor', 'recommendation', 'push'),
    specialRiskWarningSigned: fc.boolean(),
    insistenceRecorded: fc.boolean(),
    stage: fc.constant('purchase' as const),
  });

  it('decides exactly as the rulebook reads', () => {
    fc.assert(
      fc.property(arbitraryInvestor, arbitraryProduct, arbitraryRequest, (inv, prod, req) => {
        const horizonOrder = ['short', 'medium', 'long'];
        const accessMet = prod.access === undefined || inv.experienceYears >= prod.access.minExperienceYears;
        const fitsObjectives =
          horizonOrder.indexOf(prod.horizon) <= horizonOrder.indexOf(inv.objectives.horizon) &&
          prod.varieties.every((x) => (inv.objectives.varieties as string[]).includes(x));
        const tolerance = inv.lowestCategory ? 1 : Number(inv.category[1]);
        const withinLevel = Number(prod.riskLevel[1]) <= tolerance;
        let expected: SuitabilityDecision;
        if (!accessMet) expected = 'refused';
        else if (inv.classification === 'professional') expected = 'match';
        else if (withinLevel && fitsObjectives) expected = 'match';
        else if (inv.lowestCategory && prod.riskLevel !== 'R1') expected = 'refused';
        else if (req.initiatedBy !== 'investor') expected = 'refused';
        else if (!req.specialRiskWarningSigned || !req.insistenceRecorded) expected = 'refused';
        else expected = 'mismatch_allowed_with_warning';
        expect(checkSuitability(inv, prod, req).decision).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('SM 22(3)-(4): the listing filter never offers an ordinary investor an above-level or objectives-mismatched product', () => {
    fc.assert(
      fc.property(arbitraryInvestor, fc.array(arbitraryProduct, { maxLength: 8 }), (inv, products) => {
        const ordinary = { ...inv, classification: 'ordinary' as const };
        for (const p of filterListable(ordinary, products)) {
          const result = checkSuitability(ordinary, p, {
            initiatedBy: 'recommendation',
            specialRiskWarningSigned: false,
            insistenceRecorded: false,
            stage: 'purchase',
          });
          expect(result.decision).toBe('match');
        }
      }),
    );
  });

  it('SM 22(3): nothing is listed for an investor without an assessment in force; professionals see every level', () => {
    expect(isListableFor(null, product('R1'))).toBe(false);
    expect(
      filterListable(
        investor('C1', { classification: 'professional' }),
        RISK_LEVELS.map((r) => product(r)),
      ),
    ).toHaveLength(5);
    expect(
      filterListable(
        investor('C3'),
        RISK_LEVELS.map((r) => product(r)),
      ).map((p) => p.riskLevel),
    ).toEqual(['R1', 'R2', 'R3']);
  });
});
