import { ANSWERS, LOWEST_ANSWERS } from '../testing/fixtures';
import { RISK_CATEGORIES } from '../shared';
import { QUESTIONNAIRES, RQ_2025_1, isScoringProblem, questionnaireHash, scoreAnswers } from '.';

describe('A3 questionnaire RQ-2025.1 (data)', () => {
  it('has 10–15 questions, each in English and Chinese, with unique ids', () => {
    expect(RQ_2025_1.questions.length).toBeGreaterThanOrEqual(10);
    expect(RQ_2025_1.questions.length).toBeLessThanOrEqual(15);
    expect(new Set(RQ_2025_1.questions.map((q) => q.id)).size).toBe(RQ_2025_1.questions.length);
    for (const q of RQ_2025_1.questions) {
      expect(q.text.en && q.text.zh).toBeTruthy();
      for (const o of q.options) expect(o.text.en && o.text.zh).toBeTruthy();
    }
  });

  it('covers the topics the Suitability Measures require', () => {
    const topics = new Set(RQ_2025_1.questions.map((q) => q.topic));
    for (const t of [
      'civil_capacity',
      'age',
      'income',
      'financial_assets',
      'debt',
      'experience',
      'knowledge',
      'objectives',
      'horizon',
      'loss_tolerance',
    ]) {
      expect(topics).toContain(t);
    }
  });

  it('has contiguous score bands C1–C5 from 0 to the maximum score', () => {
    const max = RQ_2025_1.questions.reduce((sum, q) => sum + Math.max(...q.options.map((o) => o.score)), 0);
    const bands = RQ_2025_1.bands;
    expect(bands.map((b) => b.category)).toEqual([...RISK_CATEGORIES]);
    expect(bands[0].minScore).toBe(0);
    expect(bands[bands.length - 1].maxScore).toBe(max);
    for (let i = 1; i < bands.length; i++) expect(bands[i].minScore).toBe(bands[i - 1].maxScore + 1);
  });

  it('is registered by version and identified by the hash of its canonical JSON', () => {
    expect(QUESTIONNAIRES['RQ-2025.1']).toBe(RQ_2025_1);
    expect(questionnaireHash(RQ_2025_1)).toMatch(/^[0-9a-f]{64}$/);
    expect(questionnaireHash({ ...RQ_2025_1, version: 'edited' })).not.toBe(questionnaireHash(RQ_2025_1));
  });

  it.each(RISK_CATEGORIES.map((c) => [c]))('scores the %s answer set to its category', (category) => {
    const result = scoreAnswers(RQ_2025_1, ANSWERS[category]);
    expect(result).toMatchObject({ category, lowestCategory: false, questionnaireVersion: 'RQ-2025.1' });
  });

  it('flags the lowest category and forces C1 when the investor cannot bear any loss, whatever the score', () => {
    expect(scoreAnswers(RQ_2025_1, LOWEST_ANSWERS)).toMatchObject({
      category: 'C1',
      lowestCategory: true,
      lowestCategoryReasons: ['unwilling_to_bear_any_loss'],
    });
    expect(scoreAnswers(RQ_2025_1, { ...ANSWERS.C5, q01_civil_capacity: 'b' })).toMatchObject({
      category: 'C1',
      lowestCategory: true,
      lowestCategoryReasons: ['no_full_civil_capacity'],
    });
  });

  it('reports unanswered questions and unknown options', () => {
    const { q05_debt: _omitted, ...partial } = ANSWERS.C3;
    expect(scoreAnswers(RQ_2025_1, partial)).toEqual({ problem: 'unanswered', questionId: 'q05_debt' });
    expect(scoreAnswers(RQ_2025_1, { ...ANSWERS.C3, q05_debt: 'z' })).toEqual({
      problem: 'unknown_option',
      questionId: 'q05_debt',
      optionId: 'z',
    });
    const extra = scoreAnswers(RQ_2025_1, { ...ANSWERS.C3, q99: 'a' });
    expect(isScoringProblem(extra) && extra.problem).toBe('unknown_question');
  });
});
