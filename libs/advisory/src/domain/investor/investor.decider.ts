/**
 * The advisory investor: real-name account opening (A1), ordinary/professional classification (A2) and risk-tolerance
 * assessments with their throttle, validity and forced re-assessment (A3).
 */
import { Decider, DomainError, ageOn, conflict, forbidden, invalid, notFound, ruleViolation } from '@app/common';
import { CONTACT_SOURCES, ContactBook, ContactSource } from '../attribution/attribution';
import { CURRENT_SENSITIVE_DATA_CONSENT_VERSION, currentDocument } from '../document-texts';
import { contentHash } from '../documents';
import { Answers, Questionnaire, isScoringProblem, scoreAnswers } from '../questionnaire';
import { ADULT_AGE, checkNationalId, isPlausibleLegalName, maskLegalName, maskMobile, maskNationalId, normalizeMobile } from '../real-name';
import {
  ASSETS_BANDS,
  Classification,
  GOALS,
  HORIZONS,
  INCOME_BANDS,
  RiskCategory,
  Step,
  VARIETIES,
  addMonths,
  isBefore,
  localDate,
} from '../shared';
import type { SuitabilityInvestor } from '../suitability/rule-set';
import { AssessmentValidityPolicy, InvestorEvent, InvestorEventType, ProfessionalEvidence, SuitabilityProfile } from './investor.events';

/** The default policy (A3: 12 months); operators version their own in configuration. */
export const DEFAULT_ASSESSMENT_VALIDITY: AssessmentValidityPolicy = { version: 'AV-12M', months: 12 };
export const MAX_ASSESSMENT_VALIDITY_MONTHS = 36;
export const MAX_ASSESSMENTS_PER_DAY = 2;
export const MAX_ASSESSMENTS_PER_12_MONTHS = 8;
/** SM 8: ¥5m financial assets, or ¥500k average annual income over 3 years; and 2 years of investing. */
export const PROFESSIONAL_MIN_ASSETS_MINOR = 500_000_000;
export const PROFESSIONAL_MIN_AVG_INCOME_MINOR = 50_000_000;
export const PROFESSIONAL_MIN_EXPERIENCE_YEARS = 2;

// ---- commands ----

export interface OpenAccount {
  readonly type: 'OpenAccount';
  readonly investorId: string;
  /** Where the handler stored the plain personal data (the encrypted vault); the decider only validates and masks. */
  readonly piiRef: string;
  readonly legalName: string;
  readonly nationalId: string;
  readonly mobile: string;
  readonly profile: SuitabilityProfile;
  readonly sensitiveDataConsent: { readonly given: boolean; readonly consentTextHash: string };
  readonly step: Step;
}

export interface ApplyForProfessionalStatus {
  readonly type: 'ApplyForProfessionalStatus';
  readonly applicationId: string;
  readonly evidence: ProfessionalEvidence;
  readonly step: Step;
}

export interface ReviewProfessionalApplication {
  readonly type: 'ReviewProfessionalApplication';
  readonly applicationId: string;
  readonly approve: boolean;
  readonly reason: string;
  readonly reviewerRoles: readonly string[];
  readonly step: Step;
}

export interface AssessRiskTolerance {
  readonly type: 'AssessRiskTolerance';
  readonly assessmentId: string;
  readonly questionnaire: Questionnaire;
  readonly answers: Answers;
  /** The firm's policy in force, from configuration. */
  readonly validity: AssessmentValidityPolicy;
  readonly step: Step;
}

export interface ConfirmRiskAssessment {
  readonly type: 'ConfirmRiskAssessment';
  readonly assessmentId: string;
  readonly step: Step;
}

export interface ReportMaterialChange {
  readonly type: 'ReportMaterialChange';
  readonly description: string;
  readonly profile: SuitabilityProfile;
  readonly step: Step;
}

export interface ShredPersonalData {
  readonly type: 'ShredPersonalData';
  readonly reason: string;
  readonly step: Step;
}

/** Staff, an advisor or another context (growth campaigns) record that they contacted the investor about a product (A5). */
export interface RecordContact {
  readonly type: 'RecordContact';
  readonly investorId: string;
  readonly contactId: string;
  readonly productId: string;
  readonly source: ContactSource;
  readonly reference: string | null;
  readonly step: Step;
}

export type InvestorCommand =
  | RecordContact
  | OpenAccount
  | ApplyForProfessionalStatus
  | ReviewProfessionalApplication
  | AssessRiskTolerance
  | ConfirmRiskAssessment
  | ReportMaterialChange
  | ShredPersonalData;

// ---- state ----

export interface AssessmentRecord {
  readonly assessmentId: string;
  readonly questionnaireVersion: string;
  readonly score: number;
  readonly category: RiskCategory;
  readonly lowestCategory: boolean;
  readonly assessedAt: string;
  /** As recorded; the gate goes by the policy in force instead (see assessmentStanding). */
  readonly validUntil: string;
  readonly validityPolicy: AssessmentValidityPolicy | null;
  readonly confirmedAt: string | null;
  readonly withdrawnAt: string | null;
}

export interface PendingApplication {
  readonly applicationId: string;
  readonly appliedBy: string;
}

export type InvestorState =
  | { readonly status: 'none'; readonly contacts: ContactBook }
  | {
      readonly status: 'open';
      readonly contacts: ContactBook;
      readonly investorId: string;
      readonly piiRef: string;
      readonly piiShredded: boolean;
      readonly nationalIdMasked: string;
      readonly mobileMasked: string;
      readonly profile: SuitabilityProfile;
      readonly classification: Classification;
      readonly pendingApplication: PendingApplication | null;
      readonly assessments: readonly AssessmentRecord[]; // oldest first; the history is kept (A3)
    };

export type OpenInvestor = Extract<InvestorState, { status: 'open' }>;

export type AssessmentStanding =
  | { readonly inForce: true; readonly assessment: AssessmentRecord }
  | { readonly inForce: false; readonly reason: 'none' | 'unconfirmed' | 'withdrawn' | 'expired'; readonly assessment?: AssessmentRecord };

/**
 * Only the latest assessment can be in force, and only once the investor confirmed it and until it expires. Expiry is
 * the assessment time plus the months of the policy in force now, whatever validity an older event recorded: an
 * assessment once recorded with a longer validity is held to today's policy (A3, A7).
 */
export const assessmentStanding = (state: OpenInvestor, nowIso: string, policy: AssessmentValidityPolicy): AssessmentStanding => {
  const recorded = state.assessments[state.assessments.length - 1];
  if (!recorded) return { inForce: false, reason: 'none' };
  const latest = { ...recorded, validUntil: addMonths(recorded.assessedAt, policy.months) };
  if (latest.withdrawnAt) return { inForce: false, reason: 'withdrawn', assessment: latest };
  if (!latest.confirmedAt) return { inForce: false, reason: 'unconfirmed', assessment: latest };
  if (!isBefore(nowIso, latest.validUntil)) return { inForce: false, reason: 'expired', assessment: latest };
  return { inForce: true, assessment: latest };
};

/** What the engagement decider needs to know about the investor at one instant (built by the handler, passed in). */
export interface InvestorSnapshot {
  readonly investorId: string;
  readonly accountOpen: boolean;
  readonly classification: Classification;
  readonly standing: AssessmentStanding;
  readonly profile: SuitabilityProfile | null;
  /** Recorded contacts, for attribution (A5). */
  readonly contacts: ContactBook;
}

export const investorSnapshot = (
  state: InvestorState,
  investorId: string,
  nowIso: string,
  policy: AssessmentValidityPolicy,
): InvestorSnapshot =>
  state.status === 'open'
    ? {
        investorId,
        accountOpen: true,
        classification: state.classification,
        standing: assessmentStanding(state, nowIso, policy),
        profile: state.profile,
        contacts: state.contacts,
      }
    : {
        investorId,
        accountOpen: false,
        classification: 'ordinary',
        standing: { inForce: false, reason: 'none' },
        profile: null,
        contacts: state.contacts,
      };

/** The suitability engine's view of an investor whose assessment is in force. */
export const suitabilityInvestor = (snapshot: InvestorSnapshot): SuitabilityInvestor | null =>
  snapshot.standing.inForce && snapshot.profile
    ? {
        classification: snapshot.classification,
        category: snapshot.standing.assessment.category,
        lowestCategory: snapshot.standing.assessment.lowestCategory,
        objectives: snapshot.profile.objectives,
        experienceYears: snapshot.profile.experienceYears,
        assetsBand: snapshot.profile.assetsBand,
      }
    : null;

// ---- decide ----

const profileProblem = (profile: SuitabilityProfile | undefined): string | null => {
  if (!profile) return 'suitability data missing';
  if (!profile.occupation?.trim()) return 'occupation missing';
  if (!INCOME_BANDS.includes(profile.incomeBand)) return 'income band missing or unknown';
  if (!ASSETS_BANDS.includes(profile.assetsBand)) return 'assets band missing or unknown';
  if (!Number.isInteger(profile.experienceYears) || profile.experienceYears < 0 || profile.experienceYears > 80)
    return 'experience years missing or implausible';
  const objectives = profile.objectives;
  if (!objectives || !GOALS.includes(objectives.goal)) return 'investment objective missing or unknown';
  if (!HORIZONS.includes(objectives.horizon)) return 'investment horizon missing or unknown';
  if (
    !Array.isArray(objectives.varieties) ||
    objectives.varieties.length === 0 ||
    objectives.varieties.some((v) => !VARIETIES.includes(v))
  ) {
    return 'investment varieties missing or unknown';
  }
  return null;
};

const openAccount = (command: OpenAccount, state: InvestorState): InvestorEvent[] | DomainError => {
  if (state.status !== 'none') return conflict('ACCOUNT.ALREADY_OPENED', 'an advisory account is already open for this investor', 'A1');
  if (!isPlausibleLegalName(command.legalName ?? '')) return ruleViolation('ACCOUNT.LEGAL_NAME_INVALID', 'A1', 'a legal name is required');
  const id = checkNationalId(command.nationalId ?? '', command.step.at);
  if (!id.ok) {
    const message = `the national ID number is not valid (${id.problem.replace('_', ' ')})`;
    switch (id.problem) {
      case 'format':
        return ruleViolation('ACCOUNT.NATIONAL_ID_FORMAT', 'A1', message);
      case 'region':
        return ruleViolation('ACCOUNT.NATIONAL_ID_REGION', 'A1', message);
      case 'birth_date':
        return ruleViolation('ACCOUNT.NATIONAL_ID_BIRTH_DATE', 'A1', message);
      case 'checksum':
        return ruleViolation('ACCOUNT.NATIONAL_ID_CHECKSUM', 'A1', message);
    }
  }
  if (ageOn(id.birthDate, localDate(command.step.at)) < ADULT_AGE)
    return ruleViolation('ACCOUNT.NOT_ADULT', 'A1', 'advisory accounts are for adults only');
  const mobile = normalizeMobile(command.mobile ?? '');
  if (!mobile) return ruleViolation('ACCOUNT.MOBILE_INVALID', 'A1', 'a mainland 11-digit mobile number is required');
  const problem = profileProblem(command.profile);
  if (problem) return ruleViolation('ACCOUNT.SUITABILITY_DATA_INCOMPLETE', 'A1', problem);
  if (!command.sensitiveDataConsent?.given || !command.sensitiveDataConsent.consentTextHash) {
    return ruleViolation(
      'ACCOUNT.SENSITIVE_DATA_CONSENT_MISSING',
      'A1',
      'separate consent to process sensitive personal information is required (PIPL 29)',
    );
  }
  // The consent is to the exact text served (A1, A6): a hash that is not the current consent text's proves nothing.
  const consent = currentDocument('sensitive_data_consent');
  if (!consent || contentHash(consent.text) !== command.sensitiveDataConsent.consentTextHash) {
    return ruleViolation(
      'ACCOUNT.CONSENT_TEXT_UNKNOWN',
      'A1',
      `the consent text hash is not that of the current consent text (${CURRENT_SENSITIVE_DATA_CONSENT_VERSION})`,
      {
        documentKind: 'sensitive_data_consent',
        currentVersion: CURRENT_SENSITIVE_DATA_CONSENT_VERSION,
      },
    );
  }
  return [
    {
      type: InvestorEventType.AccountOpened,
      data: {
        investorId: command.investorId,
        piiRef: command.piiRef,
        nationalIdMasked: maskNationalId(id.normalized),
        mobileMasked: maskMobile(mobile),
        legalNameMasked: maskLegalName(command.legalName),
        profile: command.profile,
        sensitiveDataConsent: {
          consentTextHash: command.sensitiveDataConsent.consentTextHash,
          documentId: consent.documentId,
          version: consent.version,
        },
        classification: 'ordinary',
        step: command.step,
      },
    },
  ];
};

const applyForProfessional = (command: ApplyForProfessionalStatus, state: OpenInvestor): InvestorEvent[] | DomainError => {
  if (command.step.actorId !== state.investorId)
    return forbidden('CLASSIFICATION.NOT_OWN_APPLICATION', 'only the investor can apply for professional status', 'A2');
  if (state.classification === 'professional')
    return conflict('CLASSIFICATION.ALREADY_PROFESSIONAL', 'the investor is already classified professional', 'A2');
  if (state.pendingApplication) return conflict('CLASSIFICATION.APPLICATION_PENDING', 'an application is already awaiting review', 'A2');
  const e = command.evidence;
  if (!e || !Array.isArray(e.documents) || e.documents.length === 0 || e.documents.some((d) => !/^[0-9a-f]{64}$/.test(d.contentHash))) {
    return ruleViolation('CLASSIFICATION.EVIDENCE_MISSING', 'A2', 'professional status needs documentary evidence');
  }
  const wealthy =
    (e.financialAssetsMinor ?? 0) >= PROFESSIONAL_MIN_ASSETS_MINOR ||
    (e.averageAnnualIncome3yMinor ?? 0) >= PROFESSIONAL_MIN_AVG_INCOME_MINOR;
  if (!wealthy || e.experienceYears < PROFESSIONAL_MIN_EXPERIENCE_YEARS) {
    return ruleViolation(
      'CLASSIFICATION.THRESHOLDS_NOT_MET',
      'A2',
      'professional status needs ¥5m financial assets or ¥500k average annual income over 3 years, and 2 years of investment experience',
    );
  }
  return [
    {
      type: InvestorEventType.ProfessionalStatusApplied,
      data: { investorId: state.investorId, applicationId: command.applicationId, evidence: e, step: command.step },
    },
  ];
};

const reviewApplication = (command: ReviewProfessionalApplication, state: OpenInvestor): InvestorEvent[] | DomainError => {
  const pending = state.pendingApplication;
  if (!pending || pending.applicationId !== command.applicationId)
    return notFound('CLASSIFICATION.APPLICATION_NOT_FOUND', 'no such pending application');
  if (!command.reviewerRoles.includes('compliance_officer')) {
    return forbidden('CLASSIFICATION.REVIEWER_NOT_COMPLIANCE', 'professional status is approved by a compliance officer', 'A2');
  }
  if (command.step.actorId === pending.appliedBy || command.step.actorId === state.investorId) {
    return forbidden('CLASSIFICATION.SELF_APPROVAL', 'the applicant cannot review their own application', 'A2');
  }
  const base = { investorId: state.investorId, applicationId: command.applicationId, step: command.step };
  if (command.approve) return [{ type: InvestorEventType.ProfessionalStatusApproved, data: base }];
  if (!command.reason?.trim()) return invalid('CLASSIFICATION.REASON_REQUIRED', 'a rejection states its reason', 'A2');
  return [{ type: InvestorEventType.ProfessionalStatusRejected, data: { ...base, reason: command.reason } }];
};

const assessRisk = (command: AssessRiskTolerance, state: OpenInvestor): InvestorEvent[] | DomainError => {
  if (command.step.actorId !== state.investorId)
    return forbidden('ASSESSMENT.NOT_BY_INVESTOR', 'the investor answers the questionnaire themselves', 'A3');
  const now = command.step.at;
  const today = localDate(now);
  const yearAgo = addMonths(now, -12);
  const sameDay = state.assessments.filter((a) => localDate(a.assessedAt) === today).length;
  if (sameDay >= MAX_ASSESSMENTS_PER_DAY) {
    return ruleViolation('ASSESSMENT.DAILY_LIMIT', 'A3', `at most ${MAX_ASSESSMENTS_PER_DAY} risk assessments per calendar day`);
  }
  const lastYear = state.assessments.filter((a) => isBefore(yearAgo, a.assessedAt)).length;
  if (lastYear >= MAX_ASSESSMENTS_PER_12_MONTHS) {
    return ruleViolation(
      'ASSESSMENT.ANNUAL_LIMIT',
      'A3',
      `at most ${MAX_ASSESSMENTS_PER_12_MONTHS} risk assessments per rolling 12 months`,
    );
  }
  const scored = scoreAnswers(command.questionnaire, command.answers ?? {});
  if (isScoringProblem(scored)) {
    return ruleViolation(
      'ASSESSMENT.ANSWERS_INCOMPLETE',
      'A3',
      `questionnaire answers are incomplete or unknown (${scored.problem}: ${scored.questionId})`,
      { ...scored },
    );
  }
  return [
    {
      type: InvestorEventType.RiskAssessed,
      data: {
        investorId: state.investorId,
        assessmentId: command.assessmentId,
        questionnaireVersion: scored.questionnaireVersion,
        questionnaireHash: scored.questionnaireHash,
        answers: command.answers,
        score: scored.score,
        category: scored.category,
        lowestCategory: scored.lowestCategory,
        lowestCategoryReasons: scored.lowestCategoryReasons,
        validUntil: addMonths(now, command.validity.months),
        validityPolicy: { version: command.validity.version, months: command.validity.months },
        step: command.step,
      },
    },
  ];
};

const confirmAssessment = (command: ConfirmRiskAssessment, state: OpenInvestor): InvestorEvent[] | DomainError => {
  if (command.step.actorId !== state.investorId)
    return forbidden('ASSESSMENT.NOT_BY_INVESTOR', 'only the investor confirms their assessment result', 'A3');
  const latest = state.assessments[state.assessments.length - 1];
  if (!latest || latest.assessmentId !== command.assessmentId) {
    return conflict('ASSESSMENT.NOT_LATEST', 'only the latest assessment result can be confirmed', 'A3');
  }
  if (latest.confirmedAt) return conflict('ASSESSMENT.ALREADY_CONFIRMED', 'this assessment result is already confirmed', 'A3');
  if (latest.withdrawnAt) return conflict('ASSESSMENT.WITHDRAWN', 'a material change withdrew this assessment; take a new one', 'A3');
  return [
    {
      type: InvestorEventType.RiskAssessmentConfirmed,
      data: { investorId: state.investorId, assessmentId: latest.assessmentId, category: latest.category, step: command.step },
    },
  ];
};

const reportMaterialChange = (command: ReportMaterialChange, state: OpenInvestor): InvestorEvent[] | DomainError => {
  if (command.step.actorId !== state.investorId)
    return forbidden('PROFILE.NOT_BY_INVESTOR', 'the investor reports their own material changes', 'A3');
  if (!command.description?.trim()) return invalid('PROFILE.DESCRIPTION_REQUIRED', 'describe what changed', 'A3');
  const problem = profileProblem(command.profile);
  if (problem) return ruleViolation('ACCOUNT.SUITABILITY_DATA_INCOMPLETE', 'A1', problem);
  const latest = state.assessments[state.assessments.length - 1];
  return [
    {
      type: InvestorEventType.MaterialChangeReported,
      data: {
        investorId: state.investorId,
        description: command.description,
        profile: command.profile,
        withdrawnAssessmentId: latest && !latest.withdrawnAt ? latest.assessmentId : null,
        step: command.step,
      },
    },
  ];
};

const shred = (command: ShredPersonalData, state: OpenInvestor): InvestorEvent[] | DomainError => {
  if (state.piiShredded) return conflict('ACCOUNT.ALREADY_SHREDDED', 'the personal data key is already destroyed', 'E3');
  if (!command.reason?.trim()) return invalid('ACCOUNT.SHRED_REASON_REQUIRED', 'a deletion states its legal ground', 'E3');
  return [
    {
      type: InvestorEventType.PersonalDataShredded,
      data: { investorId: state.investorId, piiRef: state.piiRef, reason: command.reason, step: command.step },
    },
  ];
};

/** Recorded whether or not the investor has an advisory account yet: a contact before opening still counts (A5). */
const recordContact = (command: RecordContact): InvestorEvent[] | DomainError => {
  if (command.step.actorId === command.investorId)
    return forbidden('CONTACT.BY_INVESTOR', 'a contact is recorded by whoever contacted the investor', 'A5');
  if (!command.productId?.trim()) return invalid('CONTACT.PRODUCT_REQUIRED', 'a contact names the product it was about', 'A5');
  if (!CONTACT_SOURCES.includes(command.source))
    return invalid('CONTACT.SOURCE_UNKNOWN', `a contact's source is one of ${CONTACT_SOURCES.join(', ')}`, 'A5');
  const { investorId, contactId, productId, source, reference, step } = command;
  return [{ type: InvestorEventType.InvestorContacted, data: { investorId, contactId, productId, source, reference, step } }];
};

const decide = (command: InvestorCommand, state: InvestorState): InvestorEvent[] | DomainError => {
  if (command.type === 'RecordContact') return recordContact(command);
  if (command.type === 'OpenAccount') return openAccount(command, state);
  if (state.status !== 'open') return ruleViolation('ACCOUNT.NOT_OPENED', 'A1', 'open an advisory account first');
  switch (command.type) {
    case 'ApplyForProfessionalStatus':
      return applyForProfessional(command, state);
    case 'ReviewProfessionalApplication':
      return reviewApplication(command, state);
    case 'AssessRiskTolerance':
      return assessRisk(command, state);
    case 'ConfirmRiskAssessment':
      return confirmAssessment(command, state);
    case 'ReportMaterialChange':
      return reportMaterialChange(command, state);
    case 'ShredPersonalData':
      return shred(command, state);
  }
};

const updateLatest = (state: OpenInvestor, assessmentId: string, patch: Partial<AssessmentRecord>): OpenInvestor => ({
  ...state,
  assessments: state.assessments.map((a) => (a.assessmentId === assessmentId ? { ...a, ...patch } : a)),
});

const evolve = (state: InvestorState, event: InvestorEvent): InvestorState => {
  if (event.type === InvestorEventType.InvestorContacted) {
    const { contactId, productId, source, reference, step } = event.data;
    return { ...state, contacts: { ...state.contacts, [productId]: { contactId, productId, source, reference, step } } };
  }
  if (event.type === InvestorEventType.AccountOpened) {
    const d = event.data;
    return {
      status: 'open',
      contacts: state.contacts,
      investorId: d.investorId,
      piiRef: d.piiRef,
      piiShredded: false,
      nationalIdMasked: d.nationalIdMasked,
      mobileMasked: d.mobileMasked,
      profile: d.profile,
      classification: 'ordinary',
      pendingApplication: null,
      assessments: [],
    };
  }
  if (state.status !== 'open') return state;
  switch (event.type) {
    case InvestorEventType.ProfessionalStatusApplied:
      return { ...state, pendingApplication: { applicationId: event.data.applicationId, appliedBy: event.data.step.actorId } };
    case InvestorEventType.ProfessionalStatusApproved:
      return { ...state, pendingApplication: null, classification: 'professional' };
    case InvestorEventType.ProfessionalStatusRejected:
      return { ...state, pendingApplication: null };
    case InvestorEventType.RiskAssessed: {
      const d = event.data;
      const record: AssessmentRecord = {
        assessmentId: d.assessmentId,
        questionnaireVersion: d.questionnaireVersion,
        score: d.score,
        category: d.category,
        lowestCategory: d.lowestCategory,
        assessedAt: d.step.at,
        validUntil: d.validUntil,
        validityPolicy: d.validityPolicy ?? null,
        confirmedAt: null,
        withdrawnAt: null,
      };
      return { ...state, assessments: [...state.assessments, record] };
    }
    case InvestorEventType.RiskAssessmentConfirmed:
      return updateLatest(state, event.data.assessmentId, { confirmedAt: event.data.step.at });
    case InvestorEventType.MaterialChangeReported: {
      const next = { ...state, profile: event.data.profile };
      return event.data.withdrawnAssessmentId
        ? updateLatest(next, event.data.withdrawnAssessmentId, { withdrawnAt: event.data.step.at })
        : next;
    }
    case InvestorEventType.PersonalDataShredded:
      return { ...state, piiShredded: true };
  }
  return state;
};

export const investorDecider: Decider<InvestorCommand, InvestorEvent, InvestorState> = {
  initialState: { status: 'none', contacts: {} },
  decide,
  evolve,
};

export const investorStreamId = (investorId: string): string => `advisory.investor-${investorId}`;

/** An assessment of the investor's, as recorded (none for an account not open or an unknown id). */
export const assessmentOf = (state: InvestorState, assessmentId: string): AssessmentRecord | undefined =>
  state.status === 'open' ? state.assessments.find((assessment) => assessment.assessmentId === assessmentId) : undefined;

/** E3: the investor's advisory account still holds personal data (real-name data under the person's key) to shred. */
export const holdsPersonalData = (state: InvestorState): boolean => state.status === 'open' && !state.piiShredded;

/**
 * E3: the shredding of a person is refused as done when neither their registration (the user's decision on it) nor
 * their advisory account has anything left to shred; a refusal of the user's decision stands as it is.
 */
export const shreddingRefusal = <E>(userDecision: readonly E[] | DomainError, investor: InvestorState): DomainError | undefined => {
  if (userDecision instanceof DomainError) return userDecision;
  if (userDecision.length === 0 && !holdsPersonalData(investor))
    return conflict('ACCOUNT.ALREADY_SHREDDED', 'the personal data key is already destroyed', 'E3');
  return undefined;
};
