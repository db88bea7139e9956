import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext, IdGenerator, stepOf } from '@app/common';
import { AggregateStore, followOn } from '@app/platform';
import { EntitlementsService } from '@app/value-added';
import {
  GroupFacts,
  GroupRole,
  GroupTopic,
  JoiningRule,
  ModerationAction,
  Welcome,
  groupDecider,
  groupStreamId,
  membershipDecider,
  membershipStreamId,
  roleOf,
} from '../../domain';
import { CommunityActivity } from '../growth-hooks';
import { CommunityReads } from '../reads';

const isCompliance = (context: CommandContext) => context.actor.roles.includes('compliance_officer');

export class CreateGroupCommand {
  constructor(
    readonly group: { name: string; topic: GroupTopic; topicRef: string | null; joining: JoiningRule; welcome: Welcome },
    readonly context: CommandContext,
  ) {}
}

/** The group, and its owner's membership, by one statement. */
@CommandHandler(CreateGroupCommand)
export class CreateGroupHandler implements ICommandHandler<CreateGroupCommand> {
  constructor(
    private readonly aggregates: AggregateStore,
    @Inject(IdGenerator) private readonly ids: IdGenerator,
  ) {}

  execute({ group, context }: CreateGroupCommand) {
    const groupId = this.ids.next();
    const facts: GroupFacts = { ...group, groupId, ownerId: context.actor.id };
    const step = stepOf(context);
    return this.aggregates.handle(
      groupDecider,
      groupStreamId(groupId),
      { type: 'CreateGroup', group: facts, step },
      context,
      () => ({ ...facts }),
      {
        followOns: ({ events }) =>
          events.length
            ? [
                followOn(
                  membershipDecider,
                  membershipStreamId(groupId, context.actor.id),
                  { type: 'Found', group: facts, step },
                  { startsStream: true },
                ),
              ]
            : [],
      },
    );
  }
}

export class InviteMemberCommand {
  constructor(
    readonly groupId: string,
    readonly userId: string,
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(InviteMemberCommand)
export class InviteMemberHandler implements ICommandHandler<InviteMemberCommand> {
  constructor(
    private readonly aggregates: AggregateStore,
    private readonly reads: CommunityReads,
  ) {}

  async execute({ groupId, userId, context }: InviteMemberCommand) {
    const group = await this.reads.group(groupId);
    return this.aggregates.handle(
      membershipDecider,
      membershipStreamId(groupId, userId),
      async (reads) => {
        const inviter = await reads.load(membershipDecider, membershipStreamId(groupId, context.actor.id));
        return {
          type: 'Invite' as const,
          group,
          userId,
          inviter: { role: roleOf(inviter.state), compliance: isCompliance(context) },
          step: stepOf(context),
        };
      },
      context,
      ({ state }) => ({ groupId, userId, status: state.status }),
    );
  }
}

export class JoinGroupCommand {
  constructor(
    readonly groupId: string,
    readonly context: CommandContext,
  ) {}
}

/** Joining by the group's rule: open, by invitation, or by an entitlement to the group's listing (value-added's entitlements). */
@CommandHandler(JoinGroupCommand)
export class JoinGroupHandler implements ICommandHandler<JoinGroupCommand> {
  constructor(
    private readonly aggregates: AggregateStore,
    private readonly reads: CommunityReads,
    private readonly entitlements: EntitlementsService,
    private readonly activity: CommunityActivity,
  ) {}

  async execute({ groupId, context }: JoinGroupCommand) {
    const group = await this.reads.group(groupId);
    const userId = context.actor.id;
    const { joining } = group;
    const entitled =
      joining.kind === 'entitlement'
        ? (await this.entitlements.at(userId, context.now)).some((e) => e.listingId === joining.listingId)
        : false;
    const answer = await this.aggregates.handle(
      membershipDecider,
      membershipStreamId(groupId, userId),
      { type: 'Join', group, userId, entitled, step: stepOf(context) },
      context,
      ({ state }) => ({ groupId, userId, role: roleOf(state), welcome: group.welcome }),
    );
    this.activity.record([
      {
        investorId: userId,
        type: 'community.group_joined',
        at: context.now,
        clientEventId: `community-join-${groupId}-${userId}`,
        properties: { groupId, topic: group.topic },
      },
    ]);
    return answer;
  }
}

export class LeaveGroupCommand {
  constructor(
    readonly groupId: string,
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(LeaveGroupCommand)
export class LeaveGroupHandler implements ICommandHandler<LeaveGroupCommand> {
  constructor(
    private readonly aggregates: AggregateStore,
    private readonly reads: CommunityReads,
  ) {}

  async execute({ groupId, context }: LeaveGroupCommand) {
    await this.reads.group(groupId);
    return this.aggregates.handle(
      membershipDecider,
      membershipStreamId(groupId, context.actor.id),
      { type: 'Leave', step: stepOf(context) },
      context,
      ({ state }) => ({
        groupId,
        userId: context.actor.id,
        status: state.status,
      }),
    );
  }
}

export class AssignRoleCommand {
  constructor(
    readonly groupId: string,
    readonly userId: string,
    readonly role: GroupRole,
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(AssignRoleCommand)
export class AssignRoleHandler implements ICommandHandler<AssignRoleCommand> {
  constructor(
    private readonly aggregates: AggregateStore,
    private readonly reads: CommunityReads,
  ) {}

  async execute({ groupId, userId, role, context }: AssignRoleCommand) {
    await this.reads.group(groupId);
    return this.aggregates.handle(
      membershipDecider,
      membershipStreamId(groupId, userId),
      async (reads) => {
        const by = await reads.load(membershipDecider, membershipStreamId(groupId, context.actor.id));
        return {
          type: 'AssignRole' as const,
          role,
          by: { role: roleOf(by.state), compliance: isCompliance(context) },
          step: stepOf(context),
        };
      },
      context,
      ({ state }) => ({ groupId, userId, role: roleOf(state) }),
    );
  }
}

export class ModerateMemberCommand {
  constructor(
    readonly groupId: string,
    readonly userId: string,
    readonly action: ModerationAction,
    readonly reason: string,
    readonly minutes: number | undefined,
    readonly context: CommandContext,
  ) {}
}

/** Warn, mute or ban, with a reason, by the group's moderators or owner, or compliance: events on the member's stream. */
@CommandHandler(ModerateMemberCommand)
export class ModerateMemberHandler implements ICommandHandler<ModerateMemberCommand> {
  constructor(
    private readonly aggregates: AggregateStore,
    private readonly reads: CommunityReads,
  ) {}

  async execute({ groupId, userId, action, reason, minutes, context }: ModerateMemberCommand) {
    await this.reads.group(groupId);
    return this.aggregates.handle(
      membershipDecider,
      membershipStreamId(groupId, userId),
      async (reads) => {
        const by = await reads.load(membershipDecider, membershipStreamId(groupId, context.actor.id));
        return {
          type: 'Moderate' as const,
          action,
          reason,
          minutes,
          by: { role: roleOf(by.state), compliance: isCompliance(context) },
          step: stepOf(context),
        };
      },
      context,
      ({ state, events }) => ({
        groupId,
        userId,
        action,
        status: state.status,
        offences: state.status === 'none' ? 0 : state.offences,
        mutedUntil: state.status === 'member' ? state.mutedUntil : null,
        recorded: events.length > 0,
      }),
    );
  }
}
