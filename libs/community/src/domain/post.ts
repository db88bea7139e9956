/**
 * Posts and replies under the rules. Every post passes the content guard (V3); a post that is advice by function
 * (V1: a stock with a target, an instruction or timing) is refused unless it is published through the advice records
 * (A9) by a registered advisor. A refused post is still recorded, as evidence for compliance, and never shown to
 * members. Reports and hiding are events of the post.
 */
import { ContentCheck, Decider, DomainError, DomainEvent, Step, conflict, forbidden, invalid, unreachable } from '@app/common';
import { AdviceClassification } from './advice-detector';

export const MAX_POST_LENGTH = 5000;

export interface AdviceRecordRef {
  readonly adviceId: string;
  readonly productId: string;
}

export type PostCommand =
  | {
      readonly type: 'PublishPost';
      readonly postId: string;
      readonly groupId: string;
      readonly parentId: string | null;
      readonly authorId: string;
      readonly body: string;
      /** The content guard's verdict on the body (V3). */
      readonly guard: ContentCheck;
      /** The V1 detector's verdict on the body. */
      readonly advice: AdviceClassification;
      /** Set when the post is an advisor's advice, already recorded with its basis (A9). */
      readonly adviceRecord: AdviceRecordRef | null;
      readonly step: Step;
    }
  | { readonly type: 'ReportPost'; readonly reportId: string; readonly reason: string; readonly step: Step }
  | { readonly type: 'HidePost'; readonly reason: string; readonly moderator: boolean; readonly step: Step };

export const PostEventTypes = {
  Published: 'community.PostPublished',
  Refused: 'community.PostRefused',
  Reported: 'community.PostReported',
  Hidden: 'community.PostHidden',
} as const;
type P = typeof PostEventTypes;

export interface RefusalRecord {
  readonly code: string;
  readonly rule: 'V1' | 'V3';
  readonly message: string;
  readonly details: Readonly<Record<string, unknown>>;
}

interface PostFacts {
  readonly postId: string;
  readonly groupId: string;
  readonly parentId: string | null;
  readonly authorId: string;
  readonly body: string;
}

export type PostEvent =
  | DomainEvent<
      P['Published'],
      PostFacts & { readonly kind: 'discussion' | 'advice'; readonly adviceRecord: AdviceRecordRef | null; readonly step: Step }
    >
  | DomainEvent<P['Refused'], PostFacts & { readonly refusal: RefusalRecord; readonly step: Step }>
  | DomainEvent<
      P['Reported'],
      {
        readonly postId: string;
        readonly groupId: string;
        readonly authorId: string;
        readonly reportId: string;
        readonly reason: string;
        readonly reports: number;
        readonly step: Step;
      }
    >
  | DomainEvent<
      P['Hidden'],
      { readonly postId: string; readonly groupId: string; readonly authorId: string; readonly reason: string; readonly step: Step }
    >;

export type PostState =
  | { readonly status: 'none' }
  | (PostFacts & { readonly status: 'refused'; readonly refusal: RefusalRecord })
  | (PostFacts & { readonly status: 'visible' | 'hidden'; readonly reporters: readonly string[] });

/** The refusal a post's content earns (V3 first: a guard hit is never published, even by an advisor), or null. */
export const contentRefusal = (command: Extract<PostCommand, { type: 'PublishPost' }>): RefusalRecord | null => {
  if (!command.guard.ok) {
    return {
      code: 'CONTENT.PROHIBITED_PHRASE',
      rule: 'V3',
      message: `the post contains "${command.guard.phrase}" (${command.guard.category}, ${command.guard.legalBasis})`,
      details: { phrase: command.guard.phrase, category: command.guard.category, legalBasis: command.guard.legalBasis },
    };
  }
  if (command.advice.advisory && !command.adviceRecord) {
    return {
      code: 'COMMUNITY.UNLICENSED_ADVICE',
      rule: 'V1',
      message:
        'stock-specific picks, price targets and buy/sell timing are investment advice: only registered advisors give them, through the advice records (A9)',
      details: { signals: command.advice.signals },
    };
  }
  return null;
};

const decide = (command: PostCommand, state: PostState): PostEvent[] | DomainError => {
  switch (command.type) {
    case 'PublishPost': {
      if (state.status !== 'none') return [];
      const body = command.body.trim();
      if (!body) return invalid('COMMUNITY.POST_EMPTY', 'a post has a body');
      if (command.body.length > MAX_POST_LENGTH)
        return invalid('COMMUNITY.POST_TOO_LONG', `a post is at most ${MAX_POST_LENGTH} characters`);
      const facts = {
        postId: command.postId,
        groupId: command.groupId,
        parentId: command.parentId,
        authorId: command.authorId,
        body: command.body,
      };
      const refusal = contentRefusal(command);
      if (refusal) return [{ type: PostEventTypes.Refused, data: { ...facts, refusal, step: command.step } }];
      const kind = command.adviceRecord ? 'advice' : 'discussion';
      return [{ type: PostEventTypes.Published, data: { ...facts, kind, adviceRecord: command.adviceRecord, step: command.step } }];
    }
    case 'ReportPost': {
      if (state.status === 'none' || state.status === 'refused') return conflict('COMMUNITY.POST_NOT_FOUND', 'no such post');
      if (!command.reason.trim()) return invalid('COMMUNITY.REASON_REQUIRED', 'a report states its reason');
      if (state.reporters.includes(command.step.actorId)) return [];
      if (state.authorId === command.step.actorId) return forbidden('COMMUNITY.OWN_POST', 'members report other members’ posts');
      const ids = { postId: state.postId, groupId: state.groupId, authorId: state.authorId };
      return [
        {
          type: PostEventTypes.Reported,
          data: { ...ids, reportId: command.reportId, reason: command.reason, reports: state.reporters.length + 1, step: command.step },
        },
      ];
    }
    case 'HidePost': {
      if (!command.moderator) return forbidden('COMMUNITY.NOT_A_MODERATOR', 'moderators, the owner and compliance hide posts');
      if (!command.reason.trim()) return invalid('COMMUNITY.REASON_REQUIRED', 'hiding a post states its reason');
      if (state.status === 'none' || state.status === 'refused') return conflict('COMMUNITY.POST_NOT_FOUND', 'no such post');
      if (state.status === 'hidden') return [];
      return [
        {
          type: PostEventTypes.Hidden,
          data: { postId: state.postId, groupId: state.groupId, authorId: state.authorId, reason: command.reason, step: command.step },
        },
      ];
    }
    default:
      return unreachable(command);
  }
};

const evolve = (state: PostState, event: PostEvent): PostState => {
  switch (event.type) {
    case PostEventTypes.Published: {
      const { postId, groupId, parentId, authorId, body } = event.data;
      return { status: 'visible', postId, groupId, parentId, authorId, body, reporters: [] };
    }
    case PostEventTypes.Refused: {
      const { postId, groupId, parentId, authorId, body, refusal } = event.data;
      return { status: 'refused', postId, groupId, parentId, authorId, body, refusal };
    }
    case PostEventTypes.Reported:
      return state.status === 'visible' || state.status === 'hidden'
        ? { ...state, reporters: [...state.reporters, event.data.step.actorId] }
        : state;
    case PostEventTypes.Hidden:
      return state.status === 'visible' ? { ...state, status: 'hidden' } : state;
    default:
      return unreachable(event);
  }
};

export const postDecider: Decider<PostCommand, PostEvent, PostState> = { initialState: { status: 'none' }, decide, evolve };
export const postStreamId = (postId: string) => `community.post-${postId}`;
