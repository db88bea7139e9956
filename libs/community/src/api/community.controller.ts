import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { CommandContext, DomainError } from '@app/common';
import { ErrorResponse, MoneyRoute, Roles } from '@app/identity';
import { Ctx, Idempotent } from '@app/platform';
import {
  AssignRoleCommand,
  ChargebackCommunityTipCommand,
  CreateGroupCommand,
  HidePostCommand,
  InviteMemberCommand,
  JoinGroupCommand,
  LeaveGroupCommand,
  ModerateMemberCommand,
  PublishAnswer,
  PublishGroupAdviceCommand,
  PublishPostCommand,
  RefundCommunityTipCommand,
  RegisterHostCommand,
  ReportPostCommand,
  RequestPayoutCommand,
  RunPayoutsCommand,
  ScheduleSessionCommand,
  SendCommunityTipCommand,
  SessionActionCommand,
} from '../application/commands';
import { HostCampaigns } from '../application/growth-hooks';
import { CommunityQueries } from '../application/queries';
import {
  ActionsResponse,
  AdvicePostDto,
  AssignRoleDto,
  CreateGroupDto,
  EvidenceQueryDto,
  EvidenceResponse,
  FeedQueryDto,
  FeedResponse,
  GroupResponse,
  HostResponse,
  LedgerResponse,
  MembershipResponse,
  ModerateDto,
  ModerationResponse,
  PayoutResponse,
  PayoutRunResponse,
  PostDto,
  PostPublishedResponse,
  PostStatusResponse,
  QueueResponse,
  ReasonBodyDto,
  TipRefundDto,
  RegisterHostDto,
  ReplayResponse,
  ReportResponse,
  ScheduleSessionDto,
  SessionActionResponse,
  SessionResponse,
  TipDto,
  TipRefundResponse,
  TipResponse,
  TipReversalResponse,
  UserRefDto,
  HostCampaignDto,
  HostCampaignResponse,
} from './community.dto';

const UUID = new ParseUUIDPipe({ exceptionFactory: () => new DomainError('validation', 'VALIDATION.FAILED', 'the id is a UUID') });
const BAD = { description: 'VALIDATION.FAILED', type: ErrorResponse };
const UNAUTH = { description: 'AUTH.UNAUTHENTICATED: no or invalid bearer token', type: ErrorResponse };

/** A refused post is recorded (evidence for compliance) and answered 422 with the rule that refused it. */
const publishedOrRefused = (answer: PublishAnswer) => {
  if (answer.status === 'refused') {
    throw new DomainError('rule_violation', answer.refusal.code, answer.refusal.message, answer.refusal.rule, {
      ...answer.refusal.details,
      postId: answer.postId,
    });
  }
  return answer;
};

@ApiTags('community')
@ApiBearerAuth()
@ApiUnauthorizedResponse(UNAUTH)
@Controller('community')
export class CommunityController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: CommunityQueries,
    private readonly campaigns: HostCampaigns,
  ) {}

  // ---- groups and membership ----

  @Post('groups')
  @ApiOperation({ summary: 'Create a topic group; the creator is its owner' })
  @ApiCreatedResponse({ type: GroupResponse })
  @ApiBadRequestResponse({
    description: 'VALIDATION.FAILED, COMMUNITY.GROUP_NAME_REQUIRED, COMMUNITY.WELCOME_REQUIRED, COMMUNITY.ENTITLEMENT_LISTING_REQUIRED',
    type: ErrorResponse,
  })
  createGroup(@Body() body: CreateGroupDto, @Ctx() context: CommandContext) {
    const joining =
      body.joining === 'entitlement'
        ? { kind: 'entitlement' as const, listingId: body.entitlementListingId ?? '' }
        : { kind: body.joining };
    return this.commands.execute(
      new CreateGroupCommand(
        { name: body.name, topic: body.topic, topicRef: body.topicRef ?? null, joining, welcome: body.welcome },
        context,
      ),
    );
  }

  @Get('groups/:groupId')
  @ApiOperation({ summary: 'A group: topic, joining rule, welcome, counts' })
  @ApiOkResponse({ type: GroupResponse })
  @ApiBadRequestResponse(BAD)
  @ApiNotFoundResponse({ description: 'COMMUNITY.GROUP_NOT_FOUND', type: ErrorResponse })
  group(@Param('groupId', UUID) groupId: string) {
    return this.queries.group(groupId);
  }

  @Post('groups/:groupId/join')
  @HttpCode(200)
  @ApiOperation({ summary: 'Join by the group’s rule (open, invitation, entitlement); a newcomer gets the welcome' })
  @ApiOkResponse({ type: MembershipResponse })
  @ApiBadRequestResponse(BAD)
  @ApiForbiddenResponse({
    description: 'COMMUNITY.INVITATION_REQUIRED, COMMUNITY.ENTITLEMENT_REQUIRED, COMMUNITY.BANNED',
    type: ErrorResponse,
  })
  @ApiNotFoundResponse({ description: 'COMMUNITY.GROUP_NOT_FOUND', type: ErrorResponse })
  @ApiConflictResponse({ description: 'CONCURRENCY.CONFLICT', type: ErrorResponse })
  join(@Param('groupId', UUID) groupId: string, @Ctx() context: CommandContext) {
    return this.commands.execute(new JoinGroupCommand(groupId, context));
  }

  @Post('groups/:groupId/leave')
  @HttpCode(200)
  @ApiOperation({ summary: 'Leave a group (the owner stays)' })
  @ApiOkResponse({ type: MembershipResponse })
  @ApiBadRequestResponse(BAD)
  @ApiNotFoundResponse({ description: 'COMMUNITY.GROUP_NOT_FOUND', type: ErrorResponse })
  @ApiConflictResponse({ description: 'COMMUNITY.OWNER_CANNOT_LEAVE, CONCURRENCY.CONFLICT', type: ErrorResponse })
  leave(@Param('groupId', UUID) groupId: string, @Ctx() context: CommandContext) {
    return this.commands.execute(new LeaveGroupCommand(groupId, context));
  }

  @Post('groups/:groupId/invitations')
  @ApiOperation({ summary: 'Invite a user (owner, hosts, moderators)' })
  @ApiCreatedResponse({ type: MembershipResponse })
  @ApiBadRequestResponse(BAD)
  @ApiForbiddenResponse({ description: 'COMMUNITY.NOT_ALLOWED_TO_INVITE, COMMUNITY.BANNED', type: ErrorResponse })
  @ApiNotFoundResponse({ description: 'COMMUNITY.GROUP_NOT_FOUND', type: ErrorResponse })
  @ApiConflictResponse({ description: 'CONCURRENCY.CONFLICT', type: ErrorResponse })
  invite(@Param('groupId', UUID) groupId: string, @Body() body: UserRefDto, @Ctx() context: CommandContext) {
    return this.commands.execute(new InviteMemberCommand(groupId, body.userId, context));
  }

  @Put('groups/:groupId/members/:userId/role')
  @ApiOperation({ summary: 'Assign a member’s role: host, moderator or member (the owner only)' })
  @ApiOkResponse({ type: MembershipResponse })
  @ApiBadRequestResponse(BAD)
  @ApiForbiddenResponse({ description: 'COMMUNITY.NOT_OWNER', type: ErrorResponse })
  @ApiNotFoundResponse({ description: 'COMMUNITY.GROUP_NOT_FOUND', type: ErrorResponse })
  @ApiConflictResponse({ description: 'COMMUNITY.NOT_A_MEMBER, COMMUNITY.OWNER_FIXED, CONCURRENCY.CONFLICT', type: ErrorResponse })
  assignRole(
    @Param('groupId', UUID) groupId: string,
    @Param('userId', UUID) userId: string,
    @Body() body: AssignRoleDto,
    @Ctx() context: CommandContext,
  ) {
    return this.commands.execute(new AssignRoleCommand(groupId, userId, body.role, context));
  }

  // ---- posts and the feed ----

  @Post('groups/:groupId/posts')
  @ApiOperation({
    summary: 'Post or reply in a group',
    description:
      'Members only; not while muted or banned; a repeat offender is paced. The body passes the content guard (V3) and the advice detector (V1: a stock with a price target, a buy/sell instruction or timing is advice, given only by registered advisors through POST …/advice). A refused post is kept as evidence for compliance.',
  })
  @ApiCreatedResponse({ type: PostPublishedResponse })
  @ApiBadRequestResponse({
    description: 'VALIDATION.FAILED, COMMUNITY.POST_EMPTY, COMMUNITY.POST_TOO_LONG, COMMUNITY.PARENT_INVALID',
    type: ErrorResponse,
  })
  @ApiForbiddenResponse({ description: 'COMMUNITY.NOT_A_MEMBER, COMMUNITY.MUTED, COMMUNITY.BANNED', type: ErrorResponse })
  @ApiNotFoundResponse({ description: 'COMMUNITY.POST_NOT_FOUND (the parent)', type: ErrorResponse })
  @ApiConflictResponse({ description: 'CONCURRENCY.CONFLICT', type: ErrorResponse })
  @ApiUnprocessableEntityResponse({
    description: 'COMMUNITY.UNLICENSED_ADVICE (V1), CONTENT.PROHIBITED_PHRASE (V3); details.postId names the evidence record',
    type: ErrorResponse,
  })
  @ApiTooManyRequestsResponse({
    description: 'COMMUNITY.THROTTLED: a repeat offender posts again too soon (details.retryAt)',
    type: ErrorResponse,
  })
  async post(@Param('groupId', UUID) groupId: string, @Body() body: PostDto, @Ctx() context: CommandContext) {
    return publishedOrRefused(await this.commands.execute(new PublishPostCommand(groupId, body.body, body.parentId ?? null, context)));
  }

  @Post('groups/:groupId/advice')
  @Roles('advisor')
  @ApiOperation({
    summary: 'A registered advisor’s advice in the group (A9)',
    description:
      'Recorded first as an advice record of the advisory product (the author is one of its advisors with a SAC code; the basis is a research report or a model version; V3), then posted. Members see it only when the product is a suitable recommendation for them (A4).',
  })
  @ApiCreatedResponse({ type: PostPublishedResponse })
  @ApiBadRequestResponse({ description: 'VALIDATION.FAILED, ADVICE.CONTENT_REQUIRED', type: ErrorResponse })
  @ApiForbiddenResponse({
    description:
      'AUTH.FORBIDDEN (not an advisor), ADVICE.NOT_AN_ADVISOR, ADVICE.NOT_PRODUCT_ADVISOR (A9), COMMUNITY.NOT_A_MEMBER, COMMUNITY.MUTED, COMMUNITY.BANNED',
    type: ErrorResponse,
  })
  @ApiNotFoundResponse({ description: 'COMMUNITY.GROUP_NOT_FOUND, PRODUCT.NOT_FOUND (the advisory product)', type: ErrorResponse })
  @ApiConflictResponse({ description: 'CONCURRENCY.CONFLICT', type: ErrorResponse })
  @ApiUnprocessableEntityResponse({
    description: 'ADVICE.BASIS_MISSING, ADVICE.ADVISOR_NOT_REGISTERED (A9); ADVICE.CONTENT_BLOCKED, CONTENT.PROHIBITED_PHRASE (V3)',
    type: ErrorResponse,
  })
  @ApiTooManyRequestsResponse({ description: 'COMMUNITY.THROTTLED', type: ErrorResponse })
  async advice(@Param('groupId', UUID) groupId: string, @Body() body: AdvicePostDto, @Ctx() context: CommandContext) {
    const basis =
      body.basisKind === 'research_report'
        ? {
            kind: 'research_report' as const,
            issuer: body.issuer ?? '',
            reportDate: body.reportDate ?? '',
            ...(body.title ? { title: body.title } : {}),
          }
        : { kind: 'model' as const, modelVersion: body.modelVersion ?? '' };
    return publishedOrRefused(
      await this.commands.execute(new PublishGroupAdviceCommand(groupId, body.productId, body.body, basis, context)),
    );
  }

  @Get('groups/:groupId/feed')
  @ApiOperation({
    summary: 'The group’s posts, newest first, by cursor (members and compliance); advice only where suitable for the reader',
  })
  @ApiOkResponse({ type: FeedResponse })
  @ApiBadRequestResponse({ description: 'VALIDATION.FAILED, COMMUNITY.CURSOR_INVALID', type: ErrorResponse })
  @ApiForbiddenResponse({ description: 'COMMUNITY.NOT_A_MEMBER', type: ErrorResponse })
  @ApiNotFoundResponse({ description: 'COMMUNITY.GROUP_NOT_FOUND', type: ErrorResponse })
  feed(@Param('groupId', UUID) groupId: string, @Query() query: FeedQueryDto, @Ctx() context: CommandContext) {
    return this.queries.feed(groupId, query.cursor, query.limit ?? 20, context);
  }

  @Get('posts/:postId/replies')
  @ApiOperation({ summary: 'Replies to a post, oldest first, by cursor' })
  @ApiOkResponse({ type: FeedResponse })
  @ApiBadRequestResponse({ description: 'VALIDATION.FAILED, COMMUNITY.CURSOR_INVALID', type: ErrorResponse })
  @ApiForbiddenResponse({ description: 'COMMUNITY.NOT_A_MEMBER', type: ErrorResponse })
  @ApiNotFoundResponse({ description: 'COMMUNITY.POST_NOT_FOUND, COMMUNITY.GROUP_NOT_FOUND', type: ErrorResponse })
  replies(@Param('postId', UUID) postId: string, @Query() query: FeedQueryDto, @Ctx() context: CommandContext) {
    return this.queries.replies(postId, query.cursor, query.limit ?? 20, context);
  }

  @Post('posts/:postId/reports')
  @ApiOperation({ summary: 'Report a post to the group’s moderators and compliance' })
  @ApiCreatedResponse({ type: ReportResponse })
  @ApiBadRequestResponse({ description: 'VALIDATION.FAILED, COMMUNITY.REASON_REQUIRED', type: ErrorResponse })
  @ApiForbiddenResponse({ description: 'COMMUNITY.NOT_A_MEMBER, COMMUNITY.OWN_POST', type: ErrorResponse })
  @ApiNotFoundResponse({ description: 'COMMUNITY.POST_NOT_FOUND', type: ErrorResponse })
  @ApiConflictResponse({ description: 'COMMUNITY.POST_NOT_FOUND, CONCURRENCY.CONFLICT', type: ErrorResponse })
  report(@Param('postId', UUID) postId: string, @Body() body: ReasonBodyDto, @Ctx() context: CommandContext) {
    return this.commands.execute(new ReportPostCommand(postId, body.reason, context));
  }

  // ---- hosts' messages to members, through reach ----

  @Post('groups/:groupId/campaigns')
  @ApiOperation({
    summary: 'Message the group’s members (its owner and hosts), as a reach campaign under the reach rules',
    description:
      'The audience is the group’s members. Reach applies consent per channel (G1), caps and quiet hours (G2), the content guard and, for an advisory product, the suitability filter per member (G3: members it does not suit are not messaged, counted by refusal code in the campaign report), and records each contact about an advisory product (G4).',
  })
  @ApiCreatedResponse({ type: HostCampaignResponse })
  @ApiBadRequestResponse({ description: 'VALIDATION.FAILED', type: ErrorResponse })
  @ApiForbiddenResponse({ description: 'COMMUNITY.CAMPAIGN_SENDER_REQUIRED: only the group’s owner and hosts', type: ErrorResponse })
  @ApiNotFoundResponse({ description: 'COMMUNITY.GROUP_NOT_FOUND', type: ErrorResponse })
  @ApiConflictResponse({ description: 'CONCURRENCY.CONFLICT', type: ErrorResponse })
  @ApiUnprocessableEntityResponse({
    description: 'CONTENT.PROHIBITED_PHRASE (V3), REACH.PRODUCT_NOT_PUBLISHED (G3): the message names no published product',
    type: ErrorResponse,
  })
  campaign(@Param('groupId', UUID) groupId: string, @Body() body: HostCampaignDto, @Ctx() context: CommandContext) {
    return this.campaigns.send(
      { groupId, channel: body.channel, title: body.title, body: body.body, productId: body.productId ?? null },
      context,
    );
  }

  // ---- moderation ----

  @Post('posts/:postId/hide')
  @HttpCode(200)
  @ApiOperation({ summary: 'Hide a post, with a reason (moderators, owner, compliance); counts as its author’s offence' })
  @ApiOkResponse({ type: PostStatusResponse })
  @ApiBadRequestResponse({ description: 'VALIDATION.FAILED, COMMUNITY.REASON_REQUIRED', type: ErrorResponse })
  @ApiForbiddenResponse({ description: 'COMMUNITY.NOT_A_MODERATOR', type: ErrorResponse })
  @ApiNotFoundResponse({ description: 'COMMUNITY.POST_NOT_FOUND', type: ErrorResponse })
  @ApiConflictResponse({ description: 'COMMUNITY.POST_NOT_FOUND, CONCURRENCY.CONFLICT', type: ErrorResponse })
  hide(@Param('postId', UUID) postId: string, @Body() body: ReasonBodyDto, @Ctx() context: CommandContext) {
    return this.commands.execute(new HidePostCommand(postId, body.reason, context));
  }

  @Post('groups/:groupId/members/:userId/moderation')
  @HttpCode(200)
  @ApiOperation({ summary: 'Warn, mute or ban a member, with a reason (moderators, owner, compliance)' })
  @ApiOkResponse({ type: ModerationResponse })
  @ApiBadRequestResponse({ description: 'VALIDATION.FAILED, COMMUNITY.REASON_REQUIRED, COMMUNITY.MUTE_DURATION', type: ErrorResponse })
  @ApiForbiddenResponse({ description: 'COMMUNITY.NOT_A_MODERATOR', type: ErrorResponse })
  @ApiNotFoundResponse({ description: 'COMMUNITY.GROUP_NOT_FOUND', type: ErrorResponse })
  @ApiConflictResponse({ description: 'COMMUNITY.NOT_A_MEMBER, COMMUNITY.OWNER_FIXED, CONCURRENCY.CONFLICT', type: ErrorResponse })
  moderate(
    @Param('groupId', UUID) groupId: string,
    @Param('userId', UUID) userId: string,
    @Body() body: ModerateDto,
    @Ctx() context: CommandContext,
  ) {
    return this.commands.execute(new ModerateMemberCommand(groupId, userId, body.action, body.reason, body.minutes, context));
  }

  @Get('moderation/queue')
  @ApiOperation({ summary: 'Open reports: every group’s for compliance, their groups’ for moderators and owners' })
  @ApiOkResponse({ type: QueueResponse })
  queue(@Ctx() context: CommandContext) {
    return this.queries.moderationQueue(context);
  }

  @Get('groups/:groupId/moderation/actions')
  @Roles('compliance_officer')
  @ApiOperation({ summary: 'The moderation actions taken in a group, with reasons (compliance)' })
  @ApiOkResponse({ type: ActionsResponse })
  @ApiBadRequestResponse(BAD)
  @ApiForbiddenResponse({ description: 'AUTH.FORBIDDEN: compliance officers only', type: ErrorResponse })
  actions(@Param('groupId', UUID) groupId: string) {
    return this.queries.moderationActions(groupId);
  }

  @Get('evidence')
  @Roles('compliance_officer')
  @ApiOperation({ summary: 'Refused, hidden and reported posts with the rule that refused them (compliance only, never members)' })
  @ApiOkResponse({ type: EvidenceResponse })
  @ApiBadRequestResponse(BAD)
  @ApiForbiddenResponse({ description: 'AUTH.FORBIDDEN: compliance officers only', type: ErrorResponse })
  evidence(@Query() query: EvidenceQueryDto) {
    return this.queries.evidence(query.status, query.limit ?? 100);
  }

  // ---- hosts, live sessions ----

  @Post('hosts')
  @ApiOperation({ summary: 'Register as a host: a KOL, an educator, or a registered advisor with SAC code (A9)' })
  @ApiCreatedResponse({ type: HostResponse })
  @ApiBadRequestResponse({
    description: 'VALIDATION.FAILED, COMMUNITY.HOST_NAME_REQUIRED, COMMUNITY.SAC_CODE_FOR_ADVISORS',
    type: ErrorResponse,
  })
  @ApiForbiddenResponse({ description: 'COMMUNITY.NOT_AN_ADVISOR (A9)', type: ErrorResponse })
  @ApiConflictResponse({ description: 'COMMUNITY.HOST_EXISTS, CONCURRENCY.CONFLICT', type: ErrorResponse })
  @ApiUnprocessableEntityResponse({ description: 'COMMUNITY.SAC_CODE_REQUIRED (A9)', type: ErrorResponse })
  registerHost(@Body() body: RegisterHostDto, @Ctx() context: CommandContext) {
    return this.commands.execute(
      new RegisterHostCommand(
        { kind: body.kind, displayName: body.displayName, bio: body.bio ?? '', sacRegistrationCode: body.sacRegistrationCode ?? null },
        context,
      ),
    );
  }

  @Get('hosts/:hostId')
  @ApiOperation({ summary: 'A host’s public profile' })
  @ApiOkResponse({ type: HostResponse })
  @ApiBadRequestResponse(BAD)
  @ApiNotFoundResponse({ description: 'COMMUNITY.HOST_NOT_FOUND', type: ErrorResponse })
  host(@Param('hostId', UUID) hostId: string) {
    return this.queries.host(hostId);
  }

  @Get('hosts/:hostId/ledger')
  @ApiOperation({
    summary: 'A host’s balance, ledger lines (tip credits, reversals, payouts) and payout statements (the host, compliance)',
  })
  @ApiOkResponse({ type: LedgerResponse })
  @ApiBadRequestResponse(BAD)
  @ApiForbiddenResponse({ description: 'COMMUNITY.NOT_YOUR_LEDGER', type: ErrorResponse })
  @ApiNotFoundResponse({ description: 'COMMUNITY.HOST_NOT_FOUND', type: ErrorResponse })
  ledger(@Param('hostId', UUID) hostId: string, @Ctx() context: CommandContext) {
    return this.queries.ledger(hostId, context);
  }

  @Post('hosts/me/payouts')
  @MoneyRoute()
  @Idempotent()
  @ApiHeader({ name: 'Idempotency-Key', required: true })
  @ApiOperation({ summary: 'A payout statement of everything since the last one, paid through the payments port (sandbox)' })
  @ApiCreatedResponse({ type: PayoutResponse })
  @ApiBadRequestResponse({ description: 'IDEMPOTENCY.KEY_REQUIRED, VALIDATION.FAILED', type: ErrorResponse })
  @ApiConflictResponse({
    description:
      'COMMUNITY.NOT_A_HOST, COMMUNITY.PAYOUT_BELOW_MINIMUM, COMMUNITY.PAYOUT_IN_FLIGHT, CONCURRENCY.CONFLICT, IDEMPOTENCY.IN_PROGRESS, IDEMPOTENCY.KEY_REUSED',
    type: ErrorResponse,
  })
  @ApiTooManyRequestsResponse({ description: 'RATE_LIMITED', type: ErrorResponse })
  payout(@Ctx() context: CommandContext) {
    return this.commands.execute(new RequestPayoutCommand(context.actor.id, context));
  }

  @Post('payouts/run')
  @Roles('admin')
  @HttpCode(200)
  @ApiOperation({
    summary: 'The periodic payout run: a statement and a payout for every host at or above the minimum (admin, or a scheduler)',
  })
  @ApiOkResponse({ type: PayoutRunResponse })
  @ApiForbiddenResponse({ description: 'AUTH.FORBIDDEN: admin only', type: ErrorResponse })
  runPayouts(@Ctx() context: CommandContext) {
    return this.commands.execute(new RunPayoutsCommand(context));
  }

  @Post('groups/:groupId/live-sessions')
  @ApiOperation({
    summary: 'Schedule a live session (a group host or the owner, with a host profile); the title passes the content guard (V3)',
  })
  @ApiCreatedResponse({ type: SessionResponse })
  @ApiBadRequestResponse({ description: 'VALIDATION.FAILED, COMMUNITY.TITLE_REQUIRED, COMMUNITY.SESSION_TIMES', type: ErrorResponse })
  @ApiForbiddenResponse({ description: 'COMMUNITY.NOT_A_HOST, COMMUNITY.NOT_GROUP_HOST', type: ErrorResponse })
  @ApiNotFoundResponse({ description: 'COMMUNITY.GROUP_NOT_FOUND', type: ErrorResponse })
  @ApiConflictResponse({ description: 'CONCURRENCY.CONFLICT', type: ErrorResponse })
  @ApiUnprocessableEntityResponse({ description: 'CONTENT.PROHIBITED_PHRASE (V3)', type: ErrorResponse })
  schedule(@Param('groupId', UUID) groupId: string, @Body() body: ScheduleSessionDto, @Ctx() context: CommandContext) {
    return this.commands.execute(
      new ScheduleSessionCommand(
        groupId,
        { title: body.title, startsAt: body.startsAt, endsAt: body.endsAt, replayListingId: body.replayListingId ?? null },
        context,
      ),
    );
  }

  @Get('live-sessions/:sessionId')
  @ApiOperation({ summary: 'A live session: times, status, attendance, tips' })
  @ApiOkResponse({ type: SessionResponse })
  @ApiBadRequestResponse(BAD)
  @ApiNotFoundResponse({ description: 'COMMUNITY.SESSION_NOT_FOUND', type: ErrorResponse })
  session(@Param('sessionId', UUID) sessionId: string) {
    return this.queries.session(sessionId);
  }

  @Post('live-sessions/:sessionId/:action')
  @HttpCode(200)
  @ApiOperation({ summary: 'start | end (the session’s host), attend (a member, while live)' })
  @ApiOkResponse({ type: SessionActionResponse })
  @ApiBadRequestResponse(BAD)
  @ApiForbiddenResponse({ description: 'COMMUNITY.NOT_SESSION_HOST, COMMUNITY.NOT_A_MEMBER', type: ErrorResponse })
  @ApiNotFoundResponse({ description: 'COMMUNITY.SESSION_NOT_FOUND', type: ErrorResponse })
  @ApiConflictResponse({ description: 'COMMUNITY.SESSION_ENDED, COMMUNITY.SESSION_NOT_LIVE, CONCURRENCY.CONFLICT', type: ErrorResponse })
  sessionAction(@Param('sessionId', UUID) sessionId: string, @Param('action') action: string, @Ctx() context: CommandContext) {
    if (action !== 'start' && action !== 'end' && action !== 'attend')
      throw new DomainError('validation', 'VALIDATION.FAILED', 'the action is start, end or attend');
    return this.commands.execute(new SessionActionCommand(sessionId, action, context));
  }

  @Get('live-sessions/:sessionId/replay')
  @ApiOperation({ summary: 'The replay: where sold, a value-added entitlement to its listing; otherwise for members' })
  @ApiOkResponse({ type: ReplayResponse })
  @ApiBadRequestResponse(BAD)
  @ApiForbiddenResponse({ description: 'COMMUNITY.REPLAY_NOT_ENTITLED, COMMUNITY.NOT_A_MEMBER', type: ErrorResponse })
  @ApiNotFoundResponse({ description: 'COMMUNITY.SESSION_NOT_FOUND, COMMUNITY.REPLAY_NOT_READY', type: ErrorResponse })
  replay(@Param('sessionId', UUID) sessionId: string, @Ctx() context: CommandContext) {
    return this.queries.replay(sessionId, context);
  }

  // ---- tips ----

  @Post('tips')
  @Roles('investor')
  @MoneyRoute()
  @Idempotent()
  @ApiHeader({ name: 'Idempotency-Key', required: true })
  @ApiOperation({
    summary: 'Tip a live session’s host or a host’s post (V4); the host earns the configured share once the payment is captured',
  })
  @ApiCreatedResponse({ type: TipResponse })
  @ApiBadRequestResponse({
    description: 'IDEMPOTENCY.KEY_REQUIRED, VALIDATION.FAILED, TIPPING.CURRENCY, COMMUNITY.TIP_SELF, MONEY.NOT_INTEGER',
    type: ErrorResponse,
  })
  @ApiForbiddenResponse({ description: 'AUTH.FORBIDDEN (investors only), COMMUNITY.NOT_A_MEMBER', type: ErrorResponse })
  @ApiNotFoundResponse({ description: 'COMMUNITY.SESSION_NOT_FOUND, COMMUNITY.POST_NOT_FOUND', type: ErrorResponse })
  @ApiConflictResponse({
    description:
      'COMMUNITY.SESSION_NOT_LIVE, COMMUNITY.POST_NOT_VISIBLE, COMMUNITY.TIP_TARGET_NO_HOST, CONCURRENCY.CONFLICT, IDEMPOTENCY.IN_PROGRESS, IDEMPOTENCY.KEY_REUSED',
    type: ErrorResponse,
  })
  @ApiUnprocessableEntityResponse({
    description:
      'TIPPING.AMOUNT_OUT_OF_BOUNDS, TIPPING.DAILY_CAP_EXCEEDED, TIPPING.MINOR, TIPPING.AGE_UNKNOWN (V4); CONTENT.PROHIBITED_PHRASE (V3)',
    type: ErrorResponse,
  })
  @ApiTooManyRequestsResponse({ description: 'RATE_LIMITED', type: ErrorResponse })
  tip(@Body() body: TipDto, @Ctx() context: CommandContext) {
    return this.commands.execute(
      new SendCommunityTipCommand(
        { kind: body.targetKind, id: body.targetId },
        body.amountMinor,
        body.currency,
        body.message,
        body.paymentMethod ?? 'sandbox_ok',
        context,
      ),
    );
  }

  @Post('tips/:tipId/refund')
  @Roles('compliance_officer')
  @Idempotent()
  @ApiHeader({ name: 'Idempotency-Key', required: true })
  @ApiOperation({
    summary:
      'Refund a paid tip, in part or in full (E1); the host’s share is reversed in proportion (rounded down, the rest on the platform) when the provider completes the refund',
  })
  @ApiCreatedResponse({ type: TipRefundResponse })
  @ApiBadRequestResponse({
    description:
      'IDEMPOTENCY.KEY_REQUIRED, VALIDATION.FAILED, PAYMENTS.REFUND_REASON_REQUIRED, PAYMENTS.AMOUNT_INVALID (nothing left to refund)',
    type: ErrorResponse,
  })
  @ApiForbiddenResponse({ description: 'AUTH.FORBIDDEN: compliance officers only', type: ErrorResponse })
  @ApiNotFoundResponse({ description: 'COMMUNITY.TIP_NOT_FOUND, PAYMENTS.NOT_FOUND', type: ErrorResponse })
  @ApiConflictResponse({
    description:
      'COMMUNITY.TIP_NOT_PAID, PAYMENTS.NOT_CAPTURED (E1), CONCURRENCY.CONFLICT, IDEMPOTENCY.IN_PROGRESS, IDEMPOTENCY.KEY_REUSED',
    type: ErrorResponse,
  })
  @ApiUnprocessableEntityResponse({ description: 'PAYMENTS.REFUND_EXCEEDS_CAPTURED (E1)', type: ErrorResponse })
  refund(@Param('tipId', UUID) tipId: string, @Body() body: TipRefundDto, @Ctx() context: CommandContext) {
    return this.commands.execute(new RefundCommunityTipCommand(tipId, body.reason, context, body.amountMinor ?? null));
  }

  @Post('tips/:tipId/chargeback')
  @Roles('compliance_officer')
  @Idempotent()
  @ApiHeader({ name: 'Idempotency-Key', required: true })
  @ApiOperation({ summary: 'Record a chargeback the provider reported: the tip and the host’s share are reversed' })
  @ApiCreatedResponse({ type: TipReversalResponse })
  @ApiBadRequestResponse({ description: 'IDEMPOTENCY.KEY_REQUIRED, VALIDATION.FAILED', type: ErrorResponse })
  @ApiForbiddenResponse({ description: 'AUTH.FORBIDDEN: compliance officers only', type: ErrorResponse })
  @ApiNotFoundResponse({ description: 'COMMUNITY.TIP_NOT_FOUND', type: ErrorResponse })
  @ApiConflictResponse({
    description:
      'COMMUNITY.TIP_NOT_FOUND, COMMUNITY.TIP_NOT_PAID (E1), CONCURRENCY.CONFLICT, IDEMPOTENCY.IN_PROGRESS, IDEMPOTENCY.KEY_REUSED',
    type: ErrorResponse,
  })
  chargeback(@Param('tipId', UUID) tipId: string, @Body() body: ReasonBodyDto, @Ctx() context: CommandContext) {
    return this.commands.execute(new ChargebackCommunityTipCommand(tipId, body.reason, context));
  }
}
