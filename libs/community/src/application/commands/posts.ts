import { Inject } from '@nestjs/common';
import { CommandBus, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext, IdGenerator, checkContent, invalid, stepOf } from '@app/common';
import { AdviceBasis, AdviceRecords } from '@app/advisory';
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

/** A registered advisor's advice posted in a group: the product it is about and its basis (A9). */
export interface GroupAdvice {
  readonly productId: string;
  readonly basis: AdviceBasis;
}

export class PublishPostCommand {
  constructor(
    readonly groupId: string,
    readonly body: string,
    readonly parentId: string | null,
    readonly context: CommandContext,
    /** Set when the post is an advisor's advice: its advice record (A9) is written with the post, by one statement. */
    readonly advice: GroupAdvice | null = null,
  ) {}
}

/**
 * A post or reply: members only, not muted or banned, repeat offenders paced (membership); the content guard (V3) and
 * the advice detector (V1) decide whether it is published or refused. A refusal is recorded (evidence) and answered.
 * Advice is one write: the advice record (advisory's decision: the product's registered advisor, its basis, the
 * content guard) follows from the post's decision and is appended by the same statement; a post refused by the
 * membership (muted, banned, throttled) or by the content records no advice, and advice refused by advisory (A9)
 * records no post.
 */
@CommandHandler(PublishPostCommand)
export class PublishPostHandler implements ICommandHandler<PublishPostCommand, PublishAnswer> {
  constructor(
    private readonly aggregates: AggregateStore,
    private readonly reads: CommunityReads,
    private readonly activity: CommunityActivity,
    @Inject(IdGenerator) private readonly ids: IdGenerator,
    @Inject(COMMUNITY_SETTINGS) private readonly settings: CommunitySettings,
    private readonly adviceRecords: AdviceRecords,
  ) {}

  async execute({ groupId, body, parentId, context, advice }: PublishPostCommand): Promise<PublishAnswer> {
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
    const adviceRecord: AdviceRecordRef | null = advice ? { adviceId: this.ids.next(), productId: advice.productId } : null;
    let publication: FollowOn | null = null;
    const answer = await this.aggregates.handle(
      postDecider,
      postStreamId(postId),
      async (reads) => {
        const membership = (await reads.load(membershipDecider, memberStream)).state;
        const refused = postingRefusal(membership, step.at, this.settings.moderation);
        if (refused) throw refused;
        paced = isRepeatOffender(membership, this.settings.moderation);
        if (advice && adviceRecord)
          publication = await this.adviceRecords.publication(
            reads,
            { adviceId: adviceRecord.adviceId, productId: advice.productId, content: body, basis: advice.basis },
            context,
          );
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
        // Only a published post has follow-ons: a repeat offender's posts are paced (the post's time goes on the
        // membership), and advice has its record; both by the same statement as the post.
        followOns: ({ events }): FollowOn[] =>
          events[0]?.type === PostEventTypes.Published
            ? [
                ...(publication ? [publication] : []),
                ...(paced ? [followOn(membershipDecider, memberStream, { type: 'RecordPost', postId, step })] : []),
              ]
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
 * A registered advisor's advice in a group (A9): one post whose decision carries the advice record (advisor of the
 * product, SAC code, basis, content guard) as its follow-on, so both are written by one statement or neither is. The
 * feed shows it only to members for whom the product is a suitable recommendation (see CommunityQueries.feed).
 */
@CommandHandler(PublishGroupAdviceCommand)
export class PublishGroupAdviceHandler implements ICommandHandler<PublishGroupAdviceCommand, PublishAnswer> {
  constructor(
    private readonly commands: CommandBus,
    private readonly reads: CommunityReads,
  ) {}

  async execute({ groupId, productId, body, basis, context }: PublishGroupAdviceCommand): Promise<PublishAnswer> {
    await this.reads.group(groupId);
    return this.commands.execute(new PublishPostCommand(groupId, body, null, context, { productId, basis }));
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
