/**
 * Groups and membership. A group (one stream) holds what joining needs: its topic, its joining rule and the welcome
 * for newcomers. Each member's standing in a group is its own stream (joins, roles, moderation, the posting pace of a
 * repeat offender), so members never contend with each other and posting reads only the poster's membership.
 */
import { Decider, DomainError, DomainEvent, Step, conflict, forbidden, invalid, unreachable } from '@app/common';

export const GROUP_TOPICS = ['course_cohort', 'product_subscribers', 'learning_path', 'interest'] as const;
export type GroupTopic = (typeof GROUP_TOPICS)[number];
export const JOINING_RULES = ['open', 'entitlement', 'invitation'] as const;
export type JoiningRuleKind = (typeof JOINING_RULES)[number];
export type JoiningRule =
  { readonly kind: 'open' } | { readonly kind: 'invitation' } | { readonly kind: 'entitlement'; readonly listingId: string };
export const GROUP_ROLES = ['owner', 'host', 'moderator', 'member'] as const;
export type GroupRole = (typeof GROUP_ROLES)[number];
export const MODERATION_ACTIONS = ['warn', 'mute', 'ban'] as const;
export type ModerationAction = (typeof MODERATION_ACTIONS)[number];

export interface Welcome {
  readonly introduction: string;
  readonly firstTask: string;
}

export interface GroupFacts {
  readonly groupId: string;
  readonly name: string;
  readonly topic: GroupTopic;
  /** The course, product or learning path the group is about, when it is about one. */
  readonly topicRef: string | null;
  readonly joining: JoiningRule;
  readonly welcome: Welcome;
  readonly ownerId: string;
}

// ---- group stream ----

export type GroupCommand = { readonly type: 'CreateGroup'; readonly group: GroupFacts; readonly step: Step };
export const GroupEventTypes = { Created: 'community.GroupCreated' } as const;
export type GroupEvent = DomainEvent<typeof GroupEventTypes.Created, GroupFacts & { readonly step: Step }>;
export type GroupState = { readonly status: 'none' } | ({ readonly status: 'open' } & GroupFacts);

export const groupDecider: Decider<GroupCommand, GroupEvent, GroupState> = {
  initialState: { status: 'none' },
  decide: (command, state) => {
    if (state.status !== 'none') return [];
    const { group } = command;
    if (!group.name.trim()) return invalid('COMMUNITY.GROUP_NAME_REQUIRED', 'a group has a name');
    if (!group.welcome.introduction.trim() || !group.welcome.firstTask.trim()) {
      return invalid('COMMUNITY.WELCOME_REQUIRED', 'a group welcomes newcomers with an introduction and a first task');
    }
    if (group.joining.kind === 'entitlement' && !group.joining.listingId)
      return invalid('COMMUNITY.ENTITLEMENT_LISTING_REQUIRED', 'joining by entitlement names the listing');
    return [{ type: GroupEventTypes.Created, data: { ...group, step: command.step } }];
  },
  evolve: (state, event) => (event.type === GroupEventTypes.Created ? { status: 'open', ...stripStep(event.data) } : state),
};

const stripStep = ({ step: _step, ...facts }: GroupFacts & { step: Step }): GroupFacts => facts;

export const groupStreamId = (groupId: string) => `community.group-${groupId}`;

// ---- membership stream ----

export interface ModerationPolicy {
  /** Offences (warnings, mutes, hidden posts) from which a member is a repeat offender and is throttled. */
  readonly repeatOffenderAt: number;
  /** A repeat offender's minimum pause between posts. */
  readonly throttleSeconds: number;
}
export const DEFAULT_MODERATION_POLICY: ModerationPolicy = { repeatOffenderAt: 2, throttleSeconds: 300 };

/** Who is acting on a membership: their role in the group (none when not a member), and whether they are compliance staff. */
export interface Actor {
  readonly role: GroupRole | null;
  readonly compliance: boolean;
}

export type MembershipCommand =
  | { readonly type: 'Found'; readonly group: GroupFacts; readonly step: Step }
  | { readonly type: 'Invite'; readonly group: GroupFacts; readonly userId: string; readonly inviter: Actor; readonly step: Step }
  | { readonly type: 'Join'; readonly group: GroupFacts; readonly userId: string; readonly entitled: boolean; readonly step: Step }
  | { readonly type: 'Leave'; readonly step: Step }
  | { readonly type: 'AssignRole'; readonly role: GroupRole; readonly by: Actor; readonly step: Step }
  | {
      readonly type: 'Moderate';
      readonly action: ModerationAction;
      readonly reason: string;
      readonly minutes?: number;
      readonly by: Actor;
      readonly step: Step;
    }
  | { readonly type: 'CountHiddenPost'; readonly postId: string; readonly step: Step }
  | { readonly type: 'RecordPost'; readonly postId: string; readonly step: Step };

export const MembershipEventTypes = {
  Invited: 'community.MemberInvited',
  Joined: 'community.MemberJoined',
  Left: 'community.MemberLeft',
  RoleAssigned: 'community.MemberRoleAssigned',
  Warned: 'community.MemberWarned',
  Muted: 'community.MemberMuted',
  Banned: 'community.MemberBanned',
  PostHiddenCounted: 'community.MemberPostHiddenCounted',
  PostPaced: 'community.MemberPostPaced',
} as const;
type M = typeof MembershipEventTypes;
interface Ids {
  readonly groupId: string;
  readonly userId: string;
  readonly step: Step;
}
export type MembershipEvent =
  | DomainEvent<M['Invited'], Ids>
  | DomainEvent<M['Joined'], Ids & { readonly role: GroupRole; readonly welcome: Welcome }>
  | DomainEvent<M['Left'], Ids>
  | DomainEvent<M['RoleAssigned'], Ids & { readonly role: GroupRole }>
  | DomainEvent<M['Warned'], Ids & { readonly reason: string; readonly offences: number }>
  | DomainEvent<M['Muted'], Ids & { readonly reason: string; readonly until: string; readonly offences: number }>
  | DomainEvent<M['Banned'], Ids & { readonly reason: string; readonly offences: number }>
  | DomainEvent<M['PostHiddenCounted'], Ids & { readonly postId: string; readonly offences: number }>
  | DomainEvent<M['PostPaced'], Ids & { readonly postId: string }>;

interface Standing {
  readonly groupId: string;
  readonly userId: string;
  readonly offences: number;
}
export type MembershipState =
  | { readonly status: 'none' }
  | (Standing & { readonly status: 'invited' })
  | (Standing & {
      readonly status: 'member';
      readonly role: GroupRole;
      readonly mutedUntil: string | null;
      readonly lastPostAt: string | null;
    })
  | (Standing & { readonly status: 'left' })
  | (Standing & { readonly status: 'banned'; readonly reason: string });

const canModerate = (actor: Actor) => actor.compliance || actor.role === 'owner' || actor.role === 'moderator';
const canInvite = (actor: Actor) => actor.role === 'owner' || actor.role === 'host' || actor.role === 'moderator';

const decideMembership = (command: MembershipCommand, state: MembershipState): MembershipEvent[] | DomainError => {
  switch (command.type) {
    case 'Found': {
      if (state.status !== 'none') return [];
      const ids = { groupId: command.group.groupId, userId: command.group.ownerId, step: command.step };
      return [{ type: MembershipEventTypes.Joined, data: { ...ids, role: 'owner', welcome: command.group.welcome } }];
    }
    case 'Invite': {
      if (!canInvite(command.inviter)) return forbidden('COMMUNITY.NOT_ALLOWED_TO_INVITE', 'owners, hosts and moderators invite');
      if (state.status === 'banned') return forbidden('COMMUNITY.BANNED', 'this user is banned from the group');
      if (state.status === 'member' || state.status === 'invited') return [];
      return [{ type: MembershipEventTypes.Invited, data: { groupId: command.group.groupId, userId: command.userId, step: command.step } }];
    }
    case 'Join': {
      if (state.status === 'member') return [];
      if (state.status === 'banned') return forbidden('COMMUNITY.BANNED', 'banned from this group');
      const { joining } = command.group;
      switch (joining.kind) {
        case 'open':
          break;
        case 'invitation':
          if (state.status !== 'invited') return forbidden('COMMUNITY.INVITATION_REQUIRED', 'this group is joined by invitation');
          break;
        case 'entitlement':
          if (!command.entitled)
            return forbidden('COMMUNITY.ENTITLEMENT_REQUIRED', `this group is for holders of listing ${joining.listingId}`);
          break;
        default:
          return unreachable(joining);
      }
      const ids = { groupId: command.group.groupId, userId: command.userId, step: command.step };
      return [{ type: MembershipEventTypes.Joined, data: { ...ids, role: 'member', welcome: command.group.welcome } }];
    }
    case 'Leave':
      if (state.status !== 'member') return [];
      if (state.role === 'owner') return conflict('COMMUNITY.OWNER_CANNOT_LEAVE', 'the owner stays with the group');
      return [{ type: MembershipEventTypes.Left, data: { groupId: state.groupId, userId: state.userId, step: command.step } }];
    case 'AssignRole':
      if (command.by.role !== 'owner') return forbidden('COMMUNITY.NOT_OWNER', 'only the owner assigns roles');
      if (state.status !== 'member') return conflict('COMMUNITY.NOT_A_MEMBER', 'roles are for members');
      if (command.role === 'owner' || state.role === 'owner') return conflict('COMMUNITY.OWNER_FIXED', 'the owner is fixed at creation');
      if (state.role === command.role) return [];
      return [
        {
          type: MembershipEventTypes.RoleAssigned,
          data: { groupId: state.groupId, userId: state.userId, role: command.role, step: command.step },
        },
      ];
    case 'Moderate': {
      if (!canModerate(command.by)) return forbidden('COMMUNITY.NOT_A_MODERATOR', 'moderators, the owner and compliance moderate');
      if (!command.reason.trim()) return invalid('COMMUNITY.REASON_REQUIRED', 'a moderation action states its reason');
      if (state.status === 'none') return conflict('COMMUNITY.NOT_A_MEMBER', 'moderation acts on members');
      if (state.status === 'banned') return [];
      if (state.status === 'member' && state.role === 'owner')
        return conflict('COMMUNITY.OWNER_FIXED', 'the owner is not moderated within the group; compliance acts on the account');
      const ids = { groupId: state.groupId, userId: state.userId, step: command.step };
      const offences = state.offences + 1;
      switch (command.action) {
        case 'warn':
          return [{ type: MembershipEventTypes.Warned, data: { ...ids, reason: command.reason, offences } }];
        case 'mute': {
          const minutes = command.minutes ?? 60;
          if (!Number.isInteger(minutes) || minutes < 1 || minutes > 60 * 24 * 90)
            return invalid('COMMUNITY.MUTE_DURATION', 'a mute lasts 1 minute to 90 days');
          const until = new Date(Date.parse(command.step.at) + minutes * 60_000).toISOString();
          return [{ type: MembershipEventTypes.Muted, data: { ...ids, reason: command.reason, until, offences } }];
        }
        case 'ban':
          return [{ type: MembershipEventTypes.Banned, data: { ...ids, reason: command.reason, offences } }];
        default:
          return unreachable(command.action);
      }
    }
    case 'CountHiddenPost':
      if (state.status === 'none') return [];
      return [
        {
          type: MembershipEventTypes.PostHiddenCounted,
          data: { groupId: state.groupId, userId: state.userId, postId: command.postId, offences: state.offences + 1, step: command.step },
        },
      ];
    case 'RecordPost':
      if (state.status !== 'member') return [];
      return [
        {
          type: MembershipEventTypes.PostPaced,
          data: { groupId: state.groupId, userId: state.userId, postId: command.postId, step: command.step },
        },
      ];
    default:
      return unreachable(command);
  }
};

const evolveMembership = (state: MembershipState, event: MembershipEvent): MembershipState => {
  const base = { groupId: event.data.groupId, userId: event.data.userId, offences: state.status === 'none' ? 0 : state.offences };
  switch (event.type) {
    case MembershipEventTypes.Invited:
      return { ...base, status: 'invited' };
    case MembershipEventTypes.Joined:
      return { ...base, status: 'member', role: event.data.role, mutedUntil: null, lastPostAt: null };
    case MembershipEventTypes.Left:
      return { ...base, status: 'left' };
    case MembershipEventTypes.RoleAssigned:
      return state.status === 'member' ? { ...state, role: event.data.role } : state;
    case MembershipEventTypes.Warned:
    case MembershipEventTypes.PostHiddenCounted:
      return state.status === 'none' ? state : { ...state, offences: event.data.offences };
    case MembershipEventTypes.Muted:
      return state.status === 'member'
        ? { ...state, offences: event.data.offences, mutedUntil: event.data.until }
        : state.status === 'none'
          ? state
          : { ...state, offences: event.data.offences };
    case MembershipEventTypes.Banned:
      return { ...base, offences: event.data.offences, status: 'banned', reason: event.data.reason };
    case MembershipEventTypes.PostPaced:
      return state.status === 'member' ? { ...state, lastPostAt: event.data.step.at } : state;
    default:
      return unreachable(event);
  }
};

export const membershipDecider: Decider<MembershipCommand, MembershipEvent, MembershipState> = {
  initialState: { status: 'none' },
  decide: decideMembership,
  evolve: evolveMembership,
};

export const membershipStreamId = (groupId: string, userId: string) => `community.member-${groupId}-${userId}`;

export const roleOf = (state: MembershipState): GroupRole | null => (state.status === 'member' ? state.role : null);

export const isRepeatOffender = (state: MembershipState, policy: ModerationPolicy): boolean =>
  state.status !== 'none' && state.offences >= policy.repeatOffenderAt;

/**
 * M1/M3 before anything is posted: members only, not while muted or banned, and a repeat offender at most one post per
 * `throttleSeconds`. Returns the refusal, or null.
 */
export const postingRefusal = (state: MembershipState, at: string, policy: ModerationPolicy): DomainError | null => {
  switch (state.status) {
    case 'none':
    case 'invited':
    case 'left':
      return forbidden('COMMUNITY.NOT_A_MEMBER', 'only members post in a group');
    case 'banned':
      return forbidden('COMMUNITY.BANNED', `banned from this group: ${state.reason}`);
    case 'member':
      if (state.mutedUntil && state.mutedUntil > at)
        return new DomainError('forbidden', 'COMMUNITY.MUTED', `muted until ${state.mutedUntil}`, undefined, {
          mutedUntil: state.mutedUntil,
        });
      if (isRepeatOffender(state, policy) && state.lastPostAt) {
        const next = Date.parse(state.lastPostAt) + policy.throttleSeconds * 1000;
        if (Date.parse(at) < next) {
          return new DomainError(
            'rate_limited',
            'COMMUNITY.THROTTLED',
            `repeat offenders post at most once every ${policy.throttleSeconds} s`,
            undefined,
            { retryAt: new Date(next).toISOString() },
          );
        }
      }
      return null;
    default:
      return unreachable(state);
  }
};

export const notAMember = (): DomainError => forbidden('COMMUNITY.NOT_A_MEMBER', 'only members of the group do this');

/**
 * Who may send a campaign message to a group's members (through reach, under G1–G4): its owner and its hosts. Returns
 * the refusal, or null.
 */
export const campaignSenderRefusal = (role: GroupRole | null): DomainError | null =>
  role === 'owner' || role === 'host'
    ? null
    : forbidden('COMMUNITY.CAMPAIGN_SENDER_REQUIRED', 'only the group’s owner and hosts message its members (through the reach rules)');
