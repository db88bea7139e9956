import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext, IdGenerator, checkContent, stepOf } from '@app/common';
import { AggregateStore } from '@app/platform';
import {
  HostKind,
  hostDecider,
  hostStreamId,
  liveSessionDecider,
  liveSessionStreamId,
  membershipDecider,
  membershipStreamId,
  roleOf,
} from '../../domain';
import { CommunityActivity } from '../growth-hooks';
import { CommunityReads } from '../reads';

export class RegisterHostCommand {
  constructor(
    readonly profile: { kind: HostKind; displayName: string; bio: string; sacRegistrationCode: string | null },
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(RegisterHostCommand)
export class RegisterHostHandler implements ICommandHandler<RegisterHostCommand> {
  constructor(private readonly aggregates: AggregateStore) {}

  execute({ profile, context }: RegisterHostCommand) {
    const hostId = context.actor.id;
    return this.aggregates.handle(
      hostDecider,
      hostStreamId(hostId),
      { type: 'RegisterHost', profile: { hostId, ...profile }, authorRoles: context.actor.roles, step: stepOf(context) },
      context,
      () => ({ hostId, ...profile }),
    );
  }
}

export class ScheduleSessionCommand {
  constructor(
    readonly groupId: string,
    readonly session: { title: string; startsAt: string; endsAt: string; replayListingId: string | null },
    readonly context: CommandContext,
  ) {}
}

/** A live session in a group, by one of its hosts or its owner, with a host profile; the title passes the content guard (V3). */
@CommandHandler(ScheduleSessionCommand)
export class ScheduleSessionHandler implements ICommandHandler<ScheduleSessionCommand> {
  constructor(
    private readonly aggregates: AggregateStore,
    private readonly reads: CommunityReads,
    @Inject(IdGenerator) private readonly ids: IdGenerator,
  ) {}

  async execute({ groupId, session, context }: ScheduleSessionCommand) {
    await this.reads.group(groupId);
    const sessionId = this.ids.next();
    const hostId = context.actor.id;
    return this.aggregates.handle(
      liveSessionDecider,
      liveSessionStreamId(sessionId),
      async (reads) => {
        const [membership, host] = await Promise.all([
          reads.load(membershipDecider, membershipStreamId(groupId, hostId)),
          reads.load(hostDecider, hostStreamId(hostId)),
        ]);
        return {
          type: 'ScheduleSession' as const,
          sessionId,
          groupId,
          hostId,
          hostRole: roleOf(membership.state),
          hostRegistered: host.state.status === 'registered',
          title: session.title,
          titleCheck: checkContent(session.title),
          startsAt: new Date(session.startsAt).toISOString(),
          endsAt: new Date(session.endsAt).toISOString(),
          replayListingId: session.replayListingId,
          step: stepOf(context),
        };
      },
      context,
      () => ({ sessionId, groupId, hostId, ...session, status: 'scheduled' }),
    );
  }
}

export class SessionActionCommand {
  constructor(
    readonly sessionId: string,
    readonly action: 'start' | 'end' | 'attend',
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(SessionActionCommand)
export class SessionActionHandler implements ICommandHandler<SessionActionCommand> {
  constructor(
    private readonly aggregates: AggregateStore,
    private readonly reads: CommunityReads,
    private readonly activity: CommunityActivity,
  ) {}

  async execute({ sessionId, action, context }: SessionActionCommand) {
    const session = await this.reads.session(sessionId);
    const step = stepOf(context);
    const answer = await this.aggregates.handle(
      liveSessionDecider,
      liveSessionStreamId(sessionId),
      async (reads) => {
        if (action === 'start') return { type: 'StartSession' as const, step };
        if (action === 'end') return { type: 'EndSession' as const, step };
        const membership = await reads.load(membershipDecider, membershipStreamId(session.groupId, context.actor.id));
        return { type: 'Attend' as const, memberId: context.actor.id, isMember: membership.state.status === 'member', step };
      },
      context,
      ({ state }) => ({
        sessionId,
        status: state.status === 'none' ? 'none' : state.status,
        attendance: state.status === 'none' ? 0 : state.attendees.length,
      }),
    );
    if (action === 'attend') {
      this.activity.record([
        {
          investorId: context.actor.id,
          type: 'community.live_attended',
          at: context.now,
          clientEventId: `community-attend-${sessionId}-${context.actor.id}`,
          properties: { groupId: session.groupId, sessionId },
        },
      ]);
    }
    return answer;
  }
}
