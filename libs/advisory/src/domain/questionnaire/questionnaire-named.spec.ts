import { CURRENT_QUESTIONNAIRE, RQ_2025_1, questionnaireNamed } from '.';

describe('A3 the questionnaire an assessment is scored with', () => {
  it('A3: the current one when the client names none', () => {
    expect(questionnaireNamed(undefined)).toBe(CURRENT_QUESTIONNAIRE);
    expect(questionnaireNamed('')).toBe(CURRENT_QUESTIONNAIRE);
  });

  it('A3: the version the client names, if it was ever used', () => {
    expect(questionnaireNamed(RQ_2025_1.version)).toBe(RQ_2025_1);
  });

  it('A3: an unknown version is answered as not found (ASSESSMENT.QUESTIONNAIRE_UNKNOWN), prototype names included', () => {
    for (const version of ['RQ-1999.1', 'toString', '__proto__'])
      expect(questionnaireNamed(version)).toMatchObject({ kind: 'not_found', code: 'ASSESSMENT.QUESTIONNAIRE_UNKNOWN' });
  });
});
