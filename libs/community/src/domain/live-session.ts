/**
 * Live sessions in a group: scheduled by one of its hosts (or the owner) with a start and an end and a title that
 * passes the content guard (V3); started and ended by their host; attendance recorded once per member. A replay is
 * offered where it is sold, as a value-added entitlement (the listing that grants it), never as a tip's reward (V4).
 */
import {
  ContentCheck,
  Decider,
  DomainError,
  DomainEvent,
  Step,
  conflict,
  forbidden,
  invalid,
  ruleViolation,
  unreachable,
} from '@app/common';
import { GroupRole } from './group';

export type LiveCommand =
  | {
      readonly type: 'ScheduleSession';
      readonly sessionId: string;
      readonly groupId: string;
      readonly hostId: string;
      readonly hostRole: GroupRole | null;
      readonly hostRegistered: boolean;
      readonly title: string;
      readonly titleCheck: ContentCheck;
      readonly startsAt: string;
      readonly endsAt: string;
      readonly replayListingId: string | null;
      readonly step: Step;
    }
  | { readonly type: 'StartSession'; readonly step: Step }
  | { readonly type: 'EndSession'; readonly step: Step }
  | { readonly type: 'Attend'; readonly memberId: string; readonly isMember: boolean; readonly step: Step };

export const LiveEventTypes = {
  Scheduled: 'community.LiveSessionScheduled',
  Started: 'community.LiveSessionStarted',
  Ended: 'community.LiveSessionEnded',
  Attended: 'community.LiveSessionAttended',
} as const;
type L = typeof LiveEventTypes;

interface SessionFacts {
  readonly sessionId: string;
  readonly groupId: string;
  readonly hostId: string;
  readonly title: string;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly replayListingId: string | null;
}

export type LiveEvent =
  | DomainEvent<L['Scheduled'], SessionFacts & { readonly step: Step }>
  | DomainEvent<L['Started'], { readonly sessionId: string; readonly groupId: string; readonly step: Step }>
  | DomainEvent<L['Ended'], { readonly sessionId: string; readonly groupId: string; readonly attendance: number; readonly step: Step }>
  | DomainEvent<L['Attended'], { readonly sessionId: string; readonly groupId: string; readonly memberId: string; readonly step: Step }>;

export type LiveState =
  { readonly status: 'none' } | (SessionFacts & { readonly status: 'scheduled' | 'live' | 'ended'; readonly attendees: readonly string[] });

const decide = (command: LiveCommand, state: LiveState): LiveEvent[] | DomainError => {
  if (command.type === 'ScheduleSession') {
    if (state.status !== 'none') return [];
    if (!command.hostRegistered) return forbidden('COMMUNITY.NOT_A_HOST', 'live sessions are given by hosts with a host profile');
    if (command.hostRole !== 'host' && command.hostRole !== 'owner')
      return forbidden('COMMUNITY.NOT_GROUP_HOST', 'the group’s hosts and owner schedule its live sessions');
    if (!command.title.trim()) return invalid('COMMUNITY.TITLE_REQUIRED', 'a live session has a title');
    if (!command.titleCheck.ok) {
      const check = command.titleCheck;
      return ruleViolation(
        'CONTENT.PROHIBITED_PHRASE',
        check.rule,
        `the title contains "${check.phrase}" (${check.category}, ${check.legalBasis})`,
        { phrase: check.phrase, category: check.category },
      );
    }
    if (!(Date.parse(command.endsAt) > Date.parse(command.startsAt)))
      return invalid('COMMUNITY.SESSION_TIMES', 'a session ends after it starts');
    if (Date.parse(command.endsAt) < Date.parse(command.step.at))
      return invalid('COMMUNITY.SESSION_TIMES', 'a session is scheduled for the future');
    const { sessionId, groupId, hostId, title, startsAt, endsAt, replayListingId } = command;
    return [
      {
        type: LiveEventTypes.Scheduled,
        data: { sessionId, groupId, hostId, title, startsAt, endsAt, replayListingId, step: command.step },
      },
    ];
  }
  if (state.status === 'none') return conflict('COMMUNITY.SESSION_NOT_FOUND', 'no such live session');
  const ids = { sessionId: state.sessionId, groupId: state.groupId };
  switch (command.type) {
    case 'StartSession':
      if (command.step.actorId !== state.hostId) return forbidden('COMMUNITY.NOT_SESSION_HOST', 'only the session’s host starts it');
      if (state.status === 'live') return [];
      if (state.status === 'ended') return conflict('COMMUNITY.SESSION_ENDED', 'the session has ended');
      return [{ type: LiveEventTypes.Started, data: { ...ids, step: command.step } }];
    case 'EndSession':
      if (command.step.actorId !== state.hostId) return forbidden('COMMUNITY.NOT_SESSION_HOST', 'only the session’s host ends it');
      if (state.status === 'ended') return [];
      return [{ type: LiveEventTypes.Ended, data: { ...ids, attendance: state.attendees.length, step: command.step } }];
    case 'Attend':
      if (!command.isMember) return forbidden('COMMUNITY.NOT_A_MEMBER', 'live sessions are for the group’s members');
      if (state.status !== 'live') return conflict('COMMUNITY.SESSION_NOT_LIVE', `the session is ${state.status}`);
      if (state.attendees.includes(command.memberId)) return [];
      return [{ type: LiveEventTypes.Attended, data: { ...ids, memberId: command.memberId, step: command.step } }];
    default:
      return unreachable(command);
  }
};

const evolve = (state: LiveState, event: LiveEvent): LiveState => {
  switch (event.type) {
    case LiveEventTypes.Scheduled: {
      const { step: _step, ...facts } = event.data;
      return { ...facts, status: 'scheduled', attendees: [] };
    }
    case LiveEventTypes.Started:
      return state.status === 'none' ? state : { ...state, status: 'live' };
    case LiveEventTypes.Ended:
      return state.status === 'none' ? state : { ...state, status: 'ended' };
    case LiveEventTypes.Attended:
      return state.status === 'none' ? state : { ...state, attendees: [...state.attendees, event.data.memberId] };
    default:
      return unreachable(event);
  }
};

export const liveSessionDecider: Decider<LiveCommand, LiveEvent, LiveState> = { initialState: { status: 'none' }, decide, evolve };
export const liveSessionStreamId = (sessionId: string) => `community.live-${sessionId}`;
