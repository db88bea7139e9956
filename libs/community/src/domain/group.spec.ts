import { deciderSpec } from '@app/common/testing';
import { DEFAULT_MODERATION_POLICY, GroupFacts, MembershipEvent, MembershipEventTypes, membershipDecider, postingRefusal } from './group';

const spec = deciderSpec(membershipDecider);
const step = (actorId = 'u1', at = '2026-03-02T02:00:00.000Z') => ({ actorId, at, channel: 'app' as const });
const welcome = { introduction: '欢迎加入，本群讨论指数基金定投', firstTask: '做一次风险测评' };
const group = (joining: GroupFacts['joining']): GroupFacts => ({
  groupId: 'g1',
  name: '定投学习营',
  topic: 'learning_path',
  topicRef: null,
  joining,
  welcome,
  ownerId: 'owner',
});
const joined = (userId = 'u1', role: 'member' | 'moderator' | 'host' | 'owner' = 'member'): MembershipEvent => ({
  type: MembershipEventTypes.Joined,
  data: { groupId: 'g1', userId, role, welcome, step: step(userId) },
});
const member = { role: null, compliance: false };
const moderator = { role: 'moderator' as const, compliance: false };

describe('membership: joining rules', () => {
  it('an open group lets anyone join, with the welcome (introduction and first task)', () => {
    spec
      .given([])
      .when({ type: 'Join', group: group({ kind: 'open' }), userId: 'u1', entitled: false, step: step() })
      .then([joined()]);
  });

  it('an invitation group refuses a join without an invitation', () => {
    spec
      .given([])
      .when({ type: 'Join', group: group({ kind: 'invitation' }), userId: 'u1', entitled: false, step: step() })
      .thenFails('COMMUNITY.INVITATION_REQUIRED');
  });

  it('an invitation group admits the invited', () => {
    const invited: MembershipEvent = { type: MembershipEventTypes.Invited, data: { groupId: 'g1', userId: 'u1', step: step('owner') } };
    spec
      .given([invited])
      .when({ type: 'Join', group: group({ kind: 'invitation' }), userId: 'u1', entitled: false, step: step() })
      .then([joined()]);
  });

  it('only owners, hosts and moderators invite', () => {
    spec
      .given([])
      .when({ type: 'Invite', group: group({ kind: 'invitation' }), userId: 'u1', inviter: member, step: step('x') })
      .thenFails('COMMUNITY.NOT_ALLOWED_TO_INVITE');
  });

  it('an entitlement group admits holders of the listing and refuses the others', () => {
    const g = group({ kind: 'entitlement', listingId: 'course-1' });
    spec
      .given([])
      .when({ type: 'Join', group: g, userId: 'u1', entitled: false, step: step() })
      .thenFails('COMMUNITY.ENTITLEMENT_REQUIRED');
    spec.given([]).when({ type: 'Join', group: g, userId: 'u1', entitled: true, step: step() }).then([joined()]);
  });

  it('a banned user cannot join again', () => {
    const banned: MembershipEvent = {
      type: MembershipEventTypes.Banned,
      data: { groupId: 'g1', userId: 'u1', reason: 'spam', offences: 1, step: step('mod') },
    };
    spec
      .given([joined(), banned])
      .when({ type: 'Join', group: group({ kind: 'open' }), userId: 'u1', entitled: false, step: step() })
      .thenFails('COMMUNITY.BANNED');
  });

  it('joining twice changes nothing', () => {
    spec
      .given([joined()])
      .when({ type: 'Join', group: group({ kind: 'open' }), userId: 'u1', entitled: false, step: step() })
      .then([]);
  });

  it('only the owner assigns roles, and the owner role is fixed', () => {
    spec
      .given([joined()])
      .when({ type: 'AssignRole', role: 'moderator', by: moderator, step: step('m') })
      .thenFails('COMMUNITY.NOT_OWNER');
    spec
      .given([joined()])
      .when({ type: 'AssignRole', role: 'owner', by: { role: 'owner', compliance: false }, step: step('owner') })
      .thenFails('COMMUNITY.OWNER_FIXED');
    spec
      .given([joined()])
      .when({ type: 'AssignRole', role: 'host', by: { role: 'owner', compliance: false }, step: step('owner') })
      .thenMatches([{ type: MembershipEventTypes.RoleAssigned, data: { role: 'host' } }]);
  });
});

describe('moderation actions', () => {
  it('a moderator warns with a reason, counting the offence', () => {
    spec
      .given([joined()])
      .when({ type: 'Moderate', action: 'warn', reason: '广告刷屏', by: moderator, step: step('mod') })
      .then([
        { type: MembershipEventTypes.Warned, data: { groupId: 'g1', userId: 'u1', reason: '广告刷屏', offences: 1, step: step('mod') } },
      ]);
  });

  it('a member cannot moderate; compliance can', () => {
    spec
      .given([joined()])
      .when({ type: 'Moderate', action: 'ban', reason: 'x', by: member, step: step('x') })
      .thenFails('COMMUNITY.NOT_A_MODERATOR');
    spec
      .given([joined()])
      .when({ type: 'Moderate', action: 'ban', reason: '非法荐股', by: { role: null, compliance: true }, step: step('c') })
      .thenMatches([{ type: MembershipEventTypes.Banned }]);
  });

  it('an action without a reason is refused', () => {
    spec
      .given([joined()])
      .when({ type: 'Moderate', action: 'warn', reason: '  ', by: moderator, step: step('mod') })
      .thenFails('COMMUNITY.REASON_REQUIRED');
  });

  it('a mute lasts the given minutes and stops posting until then', () => {
    const events = spec
      .given([joined()])
      .when({ type: 'Moderate', action: 'mute', reason: '辱骂', minutes: 30, by: moderator, step: step('mod') })
      .thenEvents();
    expect(events).toMatchObject([{ type: MembershipEventTypes.Muted, data: { until: '2026-03-02T02:30:00.000Z', offences: 1 } }]);
    const state = [joined(), ...events].reduce(membershipDecider.evolve, membershipDecider.initialState);
    expect(postingRefusal(state, '2026-03-02T02:10:00.000Z', DEFAULT_MODERATION_POLICY)?.code).toBe('COMMUNITY.MUTED');
    expect(postingRefusal(state, '2026-03-02T02:31:00.000Z', DEFAULT_MODERATION_POLICY)).toBeNull();
  });

  it('a repeat offender is throttled between posts', () => {
    const warn = (n: number): MembershipEvent => ({
      type: MembershipEventTypes.Warned,
      data: { groupId: 'g1', userId: 'u1', reason: 'r', offences: n, step: step('mod') },
    });
    const paced: MembershipEvent = {
      type: MembershipEventTypes.PostPaced,
      data: { groupId: 'g1', userId: 'u1', postId: 'p1', step: step('u1', '2026-03-02T03:00:00.000Z') },
    };
    const once = [joined(), warn(1), paced].reduce(membershipDecider.evolve, membershipDecider.initialState);
    expect(postingRefusal(once, '2026-03-02T03:01:00.000Z', DEFAULT_MODERATION_POLICY)).toBeNull();
    const twice = [joined(), warn(1), warn(2), paced].reduce(membershipDecider.evolve, membershipDecider.initialState);
    expect(postingRefusal(twice, '2026-03-02T03:01:00.000Z', DEFAULT_MODERATION_POLICY)?.code).toBe('COMMUNITY.THROTTLED');
    expect(postingRefusal(twice, '2026-03-02T03:06:00.000Z', DEFAULT_MODERATION_POLICY)).toBeNull();
  });

  it('non-members and the banned do not post', () => {
    expect(postingRefusal(membershipDecider.initialState, step().at, DEFAULT_MODERATION_POLICY)?.code).toBe('COMMUNITY.NOT_A_MEMBER');
    const banned = [
      joined(),
      {
        type: MembershipEventTypes.Banned,
        data: { groupId: 'g1', userId: 'u1', reason: 'r', offences: 1, step: step('m') },
      } as MembershipEvent,
    ].reduce(membershipDecider.evolve, membershipDecider.initialState);
    expect(postingRefusal(banned, step().at, DEFAULT_MODERATION_POLICY)?.code).toBe('COMMUNITY.BANNED');
  });
});
