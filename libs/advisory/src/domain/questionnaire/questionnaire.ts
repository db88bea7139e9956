/**
 * Risk-tolerance questionnaires are data (A3): a versioned set of questions whose options carry scores, plus the score
 * bands that map a total to C1–C5. An option can put the investor in the lowest category (no full civil capacity, or
 * unwilling to bear any loss), which forces C1 whatever the score.
 */
import { canonicalJson } from '@app/common';
import { contentHash } from '../documents';
import type { RiskCategory } from '../shared';

export type LowestCategoryReason = 'no_full_civil_capacity' | 'unwilling_to_bear_any_loss';

export interface LocalizedText {
  readonly en: string;
  readonly zh: string;
}

export interface QuestionOption {
  readonly id: string;
  readonly text: LocalizedText;
  readonly score: number;
  readonly lowestCategory?: LowestCategoryReason;
}

export interface Question {
  readonly id: string;
  readonly topic: string;
  readonly text: LocalizedText;
  readonly options: readonly QuestionOption[];
}

export interface ScoreBand {
  readonly category: RiskCategory;
  readonly minScore: number;
  readonly maxScore: number;
}

export interface Questionnaire {
  readonly version: string;
  readonly title: LocalizedText;
  readonly questions: readonly Question[];
  readonly bands: readonly ScoreBand[];
}

export type Answers = Readonly<Record<string, string>>;

export interface AssessmentScore {
  readonly questionnaireVersion: string;
  readonly questionnaireHash: string;
  readonly score: number;
  readonly category: RiskCategory;
  readonly lowestCategory: boolean;
  readonly lowestCategoryReasons: readonly LowestCategoryReason[];
}

export type ScoringProblem =
  | { readonly problem: 'unanswered'; readonly questionId: string }
  | { readonly problem: 'unknown_question'; readonly questionId: string }
  | { readonly problem: 'unknown_option'; readonly questionId: string; readonly optionId: string };

/** The questionnaire's identity in the log: the hash of its canonical JSON, so a silently edited version is detectable. */
export const questionnaireHash = (questionnaire: Questionnaire): string => contentHash(canonicalJson(questionnaire));

export const scoreAnswers = (questionnaire: Questionnaire, answers: Answers): AssessmentScore | ScoringProblem => {
  for (const questionId of Object.keys(answers)) {
    if (!questionnaire.questions.some((q) => q.id === questionId)) return { problem: 'unknown_question', questionId };
  }
  let score = 0;
  const reasons: LowestCategoryReason[] = [];
  for (const question of questionnaire.questions) {
    const optionId = answers[question.id];
    if (optionId === undefined) return { problem: 'unanswered', questionId: question.id };
    const option = question.options.find((o) => o.id === optionId);
    if (!option) return { problem: 'unknown_option', questionId: question.id, optionId };
    score += option.score;
    if (option.lowestCategory) reasons.push(option.lowestCategory);
  }
  const band = questionnaire.bands.find((b) => score >= b.minScore && score <= b.maxScore);
  if (!band) throw new Error(`questionnaire ${questionnaire.version}: no band covers score ${score}`);
  const lowestCategory = reasons.length > 0;
  return {
    questionnaireVersion: questionnaire.version,
    questionnaireHash: questionnaireHash(questionnaire),
    score,
    category: lowestCategory ? 'C1' : band.category,
    lowestCategory,
    lowestCategoryReasons: reasons,
  };
};

export const isScoringProblem = (value: AssessmentScore | ScoringProblem): value is ScoringProblem => 'problem' in value;
