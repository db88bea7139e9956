import { Inject } from '@nestjs/common';
import { CommandBus, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext, DomainError, IdGenerator, checkContent, invalid, stepOf } from '@app/common';
import { AdviceBasis, PublishAdviceCommand } from '@app/advisory';
import { AggregateStore, FollowOn, followOn } from '@app/platform';
import {
  AdviceRecordRef,
  PostEventTypes,
  RefusalRecord,
  classifyAdvice,
  isRepeatOffender,
  membershipDecider,
  membershipStreamId,
  notAMember,
  postDecider,
  postStreamId,
  postingRefusal,
  roleOf,
} from '../../domain';
import { CommunityActivity } from '../growth-hooks';
import { CommunityReads } from '../reads';
import { COMMUNITY_SETTINGS, CommunitySettings } from '../settings';

export type PublishAnswer =
  | {
      postId: string;
      groupId: string;
      parentId: string | null;
      status: 'published';
      kind: 'discussion' | 'advice';
      adviceId: string | null;
    }
  | { postId: string; status: 'refused'; refusal: RefusalRecord };

export class PublishPostCommand {
  constructor(
    readonly groupId: string,
    readonly body: string,
    readonly parentId: string | null,
    readonly context: CommandContext,
    /** Set when the post is advice already recorded by advisory (A9). */
    readonly adviceRecord: AdviceRecordRef | null = null,
  ) {}
}

/**
 * A post or reply: members only, not muted or banned, repeat offenders paced (membership); the content guard (V3) and
 * the advice detector (V1) decide whether it is published or refused. A refusal is recorded (evidence) and answered.
 */
@CommandHandler(PublishPostCommand)
export class PublishPostHandler implements ICommandHandler<PublishPostCommand, PublishAnswer> {
  constructor(
    private readonly aggregates: AggregateStore,
    private readonly reads: CommunityReads,
    private readonly activity: CommunityActivity,
    @Inject(IdGenerator) private readonly ids: IdGenerator,
    @Inject(COMMUNITY_SETTINGS) private readonly settings: CommunitySettings,
  ) {}

  async execute({ groupId, body, parentId, context, adviceRecord }: PublishPostCommand): Promise<PublishAnswer> {
    if (parentId) {
      const parent = await this.reads.post(parentId);
      if (parent.groupId !== groupId || parent.parentId !== null || parent.status !== 'visible')
        throw invalid('COMMUNITY.PARENT_INVALID', 'a reply answers a visible top-level post of the same group');
    }
    const postId = this.ids.next();
    const step = stepOf(context);
    const authorId = context.actor.id;
    const memberStream = membershipStreamId(groupId, authorId);
    let paced = false;
    const answer = await this.aggregates.handle(
      postDecider,
      postStreamId(postId),
      async (reads) => {
        const membership = (await reads.load(membershipDecider, memberStream)).state;
        const refused = postingRefusal(membership, step.at, this.settings.moderation);
        if (refused) throw refused;
        paced = isRepeatOffender(membership, this.settings.moderation);
        return {
          type: 'PublishPost' as const,
          postId,
          groupId,
          parentId,
          authorId,
          body,
          guard: checkContent(body),
          advice: classifyAdvice(body),
          adviceRecord,
          step,
        };
      },
      context,
      ({ events }): PublishAnswer => {
        const [event] = events;
        if (event?.type === PostEventTypes.Refused) return { postId, status: 'refused', refusal: event.data.refusal };
        return {
          postId,
          groupId,
          parentId,
          status: 'published',
          kind: adviceRecord ? 'advice' : 'discussion',
          adviceId: adviceRecord?.adviceId ?? null,
        };
      },
      {
        // A repeat offender's posts are paced: the post's time goes on the membership, by the same statement.
        followOns: ({ events }): FollowOn[] =>
          paced && events[0]?.type === PostEventTypes.Published
            ? [followOn(membershipDecider, memberStream, { type: 'RecordPost', postId, step })]
            : [],
      },
    );
    if (answer.status === 'published') {
      this.activity.record([
        {
          investorId: authorId,
          type: parentId ? 'community.replied' : 'community.posted',
          at: context.now,
          clientEventId: `community-post-${postId}`,
          properties: { groupId },
        },
      ]);
    }
    return answer;
  }
}

export class PublishGroupAdviceCommand {
  constructor(
    readonly groupId: string,
    readonly productId: string,
    readonly body: string,
    readonly basis: AdviceBasis,
    readonly context: CommandContext,
  ) {}
}

/**
 * A registered advisor's advice in a group (A9): recorded first by advisory's publish-advice (advisor of the product,
 * SAC code, basis, content guard), then posted referencing the record. The feed shows it only to members for whom the
 * product is a suitable recommendation (see CommunityQueries.feed).
 */
@CommandHandler(PublishGroupAdviceCommand)
export class PublishGroupAdviceHandler implements ICommandHandler<PublishGroupAdviceCommand, PublishAnswer> {
  constructor(
    private readonly commands: CommandBus,
    private readonly reads: CommunityReads,
  ) {}

  async execute({ groupId, productId, body, basis, context }: PublishGroupAdviceCommand): Promise<PublishAnswer> {
    await this.reads.group(groupId);
    const role = await this.reads.role(groupId, context.actor.id);
    if (!role) throw notAMember();
    // Muted members do not get as far as an advice record (the post decision checks again, on the membership stream).
    const mutedUntil = await this.reads.mutedUntil(groupId, context.actor.id, context.now);
    if (mutedUntil) throw new DomainError('forbidden', 'COMMUNITY.MUTED', `muted until ${mutedUntil}`, undefined, { mutedUntil });
    const { adviceId } = (await this.commands.execute(new PublishAdviceCommand(productId, body, basis, context))) as { adviceId: string };
    return this.commands.execute(new PublishPostCommand(groupId, body, null, context, { adviceId, productId }));
  }
}

export class ReportPostCommand {
  constructor(
    readonly postId: string,
    readonly reason: string,
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(ReportPostCommand)
export class ReportPostHandler implements ICommandHandler<ReportPostCommand> {
  constructor(
    private readonly aggregates: AggregateStore,
    private readonly reads: CommunityReads,
    @Inject(IdGenerator) private readonly ids: IdGenerator,
  ) {}

  async execute({ postId, reason, context }: ReportPostCommand) {
    const post = await this.reads.post(postId);
    if (!(await this.reads.role(post.groupId, context.actor.id))) throw notAMember();
    const reportId = this.ids.next();
    return this.aggregates.handle(
      postDecider,
      postStreamId(postId),
      { type: 'ReportPost', reportId, reason, step: stepOf(context) },
      context,
      ({ events }) => ({
        postId,
        reportId: events.length ? reportId : null,
        status: 'reported',
      }),
    );
  }
}

export class HidePostCommand {
  constructor(
    readonly postId: string,
    readonly reason: string,
    readonly context: CommandContext,
  ) {}
}

/** Hiding a post (moderators, the owner, compliance) counts as an offence of its author: repeat offenders are paced. */
@CommandHandler(HidePostCommand)
export class HidePostHandler implements ICommandHandler<HidePostCommand> {
  constructor(
    private readonly aggregates: AggregateStore,
    private readonly reads: CommunityReads,
  ) {}

  async execute({ postId, reason, context }: HidePostCommand) {
    const post = await this.reads.post(postId);
    const step = stepOf(context);
    return this.aggregates.handle(
      postDecider,
      postStreamId(postId),
      async (reads) => {
        const by = await reads.load(membershipDecider, membershipStreamId(post.groupId, context.actor.id));
        const role = roleOf(by.state);
        const moderator = context.actor.roles.includes('compliance_officer') || role === 'owner' || role === 'moderator';
        return { type: 'HidePost' as const, reason, moderator, step };
      },
      context,
      ({ state }) => ({ postId, status: state.status }),
      {
        followOns: ({ events }) =>
          events.length
            ? [
                followOn(
                  membershipDecider,
                  membershipStreamId(post.groupId, post.authorId),
                  { type: 'CountHiddenPost', postId, step },
                  { existingOnly: true },
                ),
              ]
            : [],
      },
    );
  }
}
