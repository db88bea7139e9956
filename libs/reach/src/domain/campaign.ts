/**
 * A campaign (product team): a segment, a channel, a template, when it runs (once on request, at a time, or when the
 * market index rises by a given percentage in a day), a held-out control group and the outcome it is for. It runs
 * once; the fan-out goes in batches, each recorded with the cursor it reached, so a run interrupted by a crash
 * resumes after the last recorded batch and never sends a batch twice. A batch's checkpoint here is appended with the
 * batch's recipients on the batch's own stream (see batch), by one statement.
 */
import { conflict, Decider, DomainError, notFound, ruleViolation, Step, unreachable } from '@app/common';
import { MessageTemplate } from './compliance';
import { ReachChannel } from './policy';

export type CampaignSchedule =
  | { readonly kind: 'once' }
  | { readonly kind: 'at'; readonly at: string }
  | { readonly kind: 'index_rise'; readonly indexCode: string; readonly risePercent: number };

export type CampaignOutcome =
  | { readonly kind: 'returned'; readonly days: number }
  | { readonly kind: 'stage'; readonly productKind: string; readonly stage: string; readonly days: number };

export interface CampaignSpec {
  readonly campaignId: string;
  readonly name: string;
  /** The growth context's segment spec, as validated by the application (opaque to this decider). */
  readonly segment: Readonly<Record<string, unknown>>;
  readonly channel: ReachChannel;
  readonly template: MessageTemplate;
  readonly schedule: CampaignSchedule;
  /** Share of the segment held out as the control group, in percent (0–50). */
  readonly controlPercent: number;
  readonly outcome: CampaignOutcome;
}

export type StartReason = 'manual' | 'schedule' | 'trigger';
export interface TriggerFact {
  readonly indexCode: string;
  readonly date: string;
  readonly changePercent: number;
}

export type CampaignCommand =
  | { readonly type: 'CreateCampaign'; readonly spec: CampaignSpec; readonly step: Step }
  | { readonly type: 'StartCampaign'; readonly reason: StartReason; readonly trigger: TriggerFact | null; readonly step: Step }
  | {
      readonly type: 'RecordBatch';
      readonly batch: number;
      readonly after: string | null;
      readonly last: string | null;
      /** Recipients whose message went to the caps decision (sent, or withheld at a cap: see the batch's `reach.BatchSent`). */
      readonly attempted: number;
      readonly refused: Readonly<Record<string, number>>;
      readonly control: readonly string[];
      readonly step: Step;
    }
  | { readonly type: 'CompleteCampaign'; readonly step: Step };

export type CampaignEvent =
  | { readonly type: 'reach.CampaignCreated'; readonly data: CampaignSpec & { readonly step: Step } }
  | {
      readonly type: 'reach.CampaignStarted';
      readonly data: {
        readonly campaignId: string;
        readonly reason: StartReason;
        readonly trigger: TriggerFact | null;
        readonly step: Step;
      };
    }
  | {
      readonly type: 'reach.CampaignBatchFannedOut';
      readonly data: {
        readonly campaignId: string;
        readonly batch: number;
        readonly after: string | null;
        readonly last: string | null;
        readonly attempted: number;
        /** Recipients not messaged, by refusal code (G1 consent, G3 suitability). */
        readonly refused: Readonly<Record<string, number>>;
        readonly control: readonly string[];
        readonly step: Step;
      };
    }
  | { readonly type: 'reach.CampaignCompleted'; readonly data: { readonly campaignId: string; readonly step: Step } };

export type CampaignState =
  | { readonly status: 'none' }
  | { readonly status: 'scheduled'; readonly spec: CampaignSpec }
  | {
      readonly status: 'running';
      readonly spec: CampaignSpec;
      readonly startedAt: string;
      readonly cursor: string | null;
      readonly batches: number;
    }
  | {
      readonly status: 'completed';
      readonly spec: CampaignSpec;
      readonly startedAt: string;
      readonly completedAt: string;
      readonly batches: number;
    };

export const MAX_CONTROL_PERCENT = 50;

const decide = (command: CampaignCommand, state: CampaignState): CampaignEvent[] | DomainError => {
  switch (command.type) {
    case 'CreateCampaign': {
      if (state.status !== 'none') return conflict('REACH.CAMPAIGN_EXISTS', `campaign ${command.spec.campaignId} exists`);
      const { controlPercent } = command.spec;
      if (!Number.isInteger(controlPercent) || controlPercent < 0 || controlPercent > MAX_CONTROL_PERCENT) {
        return ruleViolation('REACH.CONTROL_GROUP_INVALID', 'G2', `the control group is 0–${MAX_CONTROL_PERCENT} percent of the segment`);
      }
      return [{ type: 'reach.CampaignCreated', data: { ...command.spec, step: command.step } }];
    }
    case 'StartCampaign': {
      switch (state.status) {
        case 'none':
          return notFound('REACH.CAMPAIGN_NOT_FOUND', 'no such campaign');
        case 'scheduled':
          if (command.reason === 'trigger' && state.spec.schedule.kind !== 'index_rise')
            return conflict('REACH.NOT_A_TRIGGERED_CAMPAIGN', 'the campaign has no trigger');
          return [
            {
              type: 'reach.CampaignStarted',
              data: { campaignId: state.spec.campaignId, reason: command.reason, trigger: command.trigger, step: command.step },
            },
          ];
        case 'running':
          return [];
        case 'completed':
          return conflict('REACH.CAMPAIGN_ALREADY_RAN', 'a campaign runs once; create another to run again');
        default:
          return unreachable(state);
      }
    }
    case 'RecordBatch': {
      if (state.status === 'completed') return [];
      if (state.status !== 'running') return conflict('REACH.CAMPAIGN_NOT_RUNNING', 'the campaign is not running');
      // A batch already recorded (a resumed run deciding it again) changes nothing; one out of order is a bug upstream.
      if (command.batch <= state.batches) return [];
      if (command.batch !== state.batches + 1 || command.after !== state.cursor)
        return conflict('REACH.BATCH_OUT_OF_ORDER', 'batches are recorded in order from the cursor');
      const { type: _type, ...data } = command;
      return [{ type: 'reach.CampaignBatchFannedOut', data: { campaignId: state.spec.campaignId, ...data } }];
    }
    case 'CompleteCampaign':
      if (state.status === 'completed') return [];
      if (state.status !== 'running') return conflict('REACH.CAMPAIGN_NOT_RUNNING', 'the campaign is not running');
      return [{ type: 'reach.CampaignCompleted', data: { campaignId: state.spec.campaignId, step: command.step } }];
    default:
      return unreachable(command);
  }
};

const evolve = (state: CampaignState, event: CampaignEvent): CampaignState => {
  switch (event.type) {
    case 'reach.CampaignCreated': {
      const { step: _step, ...spec } = event.data;
      return { status: 'scheduled', spec };
    }
    case 'reach.CampaignStarted':
      return state.status === 'scheduled'
        ? { status: 'running', spec: state.spec, startedAt: event.data.step.at, cursor: null, batches: 0 }
        : state;
    case 'reach.CampaignBatchFannedOut':
      return state.status === 'running' ? { ...state, cursor: event.data.last ?? state.cursor, batches: event.data.batch } : state;
    case 'reach.CampaignCompleted':
      return state.status === 'running'
        ? { status: 'completed', spec: state.spec, startedAt: state.startedAt, completedAt: event.data.step.at, batches: state.batches }
        : state;
    default:
      return unreachable(event);
  }
};

export const campaignDecider: Decider<CampaignCommand, CampaignEvent, CampaignState> = { initialState: { status: 'none' }, decide, evolve };
export const campaignStreamId = (campaignId: string) => `reach.campaign-${campaignId}`;

/** FNV-1a: a stable, even split of investors that needs no randomness (a replay holds out the same people). */
const fnv1a = (text: string): number => {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
};

/** The held-out control group: the same investors for the same campaign, about `percent` of any segment. */
export const inControlGroup = (campaignId: string, investorId: string, percent: number): boolean =>
  percent > 0 && fnv1a(`${campaignId}:${investorId}`) % 10_000 < percent * 100;

/** Whether a scheduled campaign is due (`at` schedules), or a trigger fact fires it (`index_rise`). */
export const isDue = (schedule: CampaignSchedule, now: string): boolean =>
  schedule.kind === 'at' && Date.parse(schedule.at) <= Date.parse(now);
export const triggerFires = (schedule: CampaignSchedule, fact: TriggerFact): boolean =>
  schedule.kind === 'index_rise' && schedule.indexCode === fact.indexCode && fact.changePercent >= schedule.risePercent;
