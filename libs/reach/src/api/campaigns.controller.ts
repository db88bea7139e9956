/** The product team's reach tools (campaigns, a message to one investor) and compliance's listing per product (G4). */
import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { Clock, CommandContext, IdGenerator, invalid, notFound } from '@app/common';
import { FunnelStage, RfmSegment } from '@app/growth';
import { EvidenceService } from '@app/audit';
import { ErrorResponse, Roles } from '@app/identity';
import { Ctx } from '@app/platform';
import { CampaignRunner } from '../application/campaign-runner';
import { CreateCampaignCommand } from '../application/commands/campaign.handlers';
import { DirectMessages } from '../application/direct-messages';
import { ReachAudience, ReachSegment } from '../application/reach-audience';
import { ReachCompliance } from '../application/reach-compliance';
import { ReachQueries } from '../application/reach.queries';
import { CampaignOutcome, CampaignSchedule } from '../domain';
import {
  CampaignListQueryDto,
  CampaignListResponse,
  CampaignReportResponse,
  CampaignRunResponse,
  CampaignView,
  CreateCampaignDto,
  OutcomeDto,
  PageQueryDto,
  ProductMessagesResponse,
  ScheduleDto,
  SegmentDto,
  InvestorMessagesQueryDto,
  InvestorMessagesResponse,
  SendMessageDto,
  SentMessageResponse,
} from './reach.dto';

const segmentOf = (dto: SegmentDto): ReachSegment => {
  const bad = (what: string) => invalid('REACH.SEGMENT_INVALID', `segment ${dto.kind} needs ${what}`);
  switch (dto.kind) {
    case 'all_investors':
    case 'churned_last_month':
      return { kind: dto.kind };
    case 'inactive':
      if (dto.days === undefined) throw bad('days');
      return { kind: 'inactive', days: dto.days };
    case 'rfm':
      if (dto.segment === undefined) throw bad('segment');
      return { kind: 'rfm', segment: dto.segment as RfmSegment };
    case 'funnel_stage':
      if (dto.productKind === undefined || dto.stage === undefined) throw bad('productKind and stage');
      return { kind: 'funnel_stage', productKind: dto.productKind, stage: dto.stage as FunnelStage };
    case 'holders':
      if (dto.listingId === undefined) throw bad('listingId');
      return { kind: 'holders', listingId: dto.listingId };
    case 'group_members':
      if (dto.groupId === undefined) throw bad('groupId');
      return { kind: 'group_members', groupId: dto.groupId };
    default:
      throw invalid('REACH.SEGMENT_INVALID', `unknown segment ${dto.kind}`);
  }
};

const scheduleOf = (dto: ScheduleDto): CampaignSchedule => {
  switch (dto.kind) {
    case 'once':
      return { kind: 'once' };
    case 'at':
      if (dto.at === undefined) throw invalid('REACH.SCHEDULE_INVALID', 'a scheduled campaign needs `at`');
      return { kind: 'at', at: new Date(dto.at).toISOString() };
    case 'index_rise':
      if (dto.indexCode === undefined || dto.risePercent === undefined)
        throw invalid('REACH.SCHEDULE_INVALID', 'an index_rise trigger needs indexCode and risePercent');
      return { kind: 'index_rise', indexCode: dto.indexCode, risePercent: dto.risePercent };
    default:
      throw invalid('REACH.SCHEDULE_INVALID', `unknown schedule ${String(dto.kind)}`);
  }
};

const outcomeOf = (dto: OutcomeDto): CampaignOutcome => {
  if (dto.kind === 'returned') return { kind: 'returned', days: dto.days };
  if (dto.productKind === undefined || dto.stage === undefined)
    throw invalid('REACH.OUTCOME_INVALID', 'a stage outcome needs productKind and stage');
  return { kind: 'stage', productKind: dto.productKind, stage: dto.stage, days: dto.days };
};

const TEMPLATE_REFUSALS =
  'CONTENT.PROHIBITED_PHRASE (V3), REACH.INCENTIVE_ON_ADVISORY (V2: an advisory message carries no incentive), REACH.PRODUCT_NOT_PUBLISHED (G3)';

@ApiTags('reach')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'AUTH.UNAUTHENTICATED', type: ErrorResponse })
@ApiForbiddenResponse({ description: 'AUTH.ROLE_REQUIRED', type: ErrorResponse })
@Controller('reach')
export class CampaignsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly runner: CampaignRunner,
    private readonly direct: DirectMessages,
    private readonly compliance: ReachCompliance,
    private readonly queries: ReachQueries,
    private readonly audience: ReachAudience,
    private readonly evidence: EvidenceService,
    @Inject(IdGenerator) private readonly ids: IdGenerator,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  @Post('campaigns')
  @Roles('product_manager')
  @ApiOperation({ summary: 'Create a campaign: a segment, a channel, a template, when it runs, a control group and the outcome it is for' })
  @ApiCreatedResponse({ type: CampaignRunResponse })
  @ApiBadRequestResponse({
    description: 'VALIDATION.FAILED, REACH.SEGMENT_INVALID, REACH.SCHEDULE_INVALID, REACH.OUTCOME_INVALID',
    type: ErrorResponse,
  })
  @ApiUnprocessableEntityResponse({ description: `${TEMPLATE_REFUSALS}, REACH.CONTROL_GROUP_INVALID (G2)`, type: ErrorResponse })
  @ApiNotFoundResponse({ description: 'REACH.GROUP_NOT_FOUND (a group_members segment)', type: ErrorResponse })
  @ApiConflictResponse({ description: 'REACH.CAMPAIGN_EXISTS', type: ErrorResponse })
  async create(@Body() body: CreateCampaignDto, @Ctx() context: CommandContext) {
    const segment = segmentOf(body.segment);
    if (segment.kind === 'group_members' && !(await this.audience.hasGroup(segment.groupId)))
      throw notFound('REACH.GROUP_NOT_FOUND', `community group ${segment.groupId} does not exist`);
    const schedule = scheduleOf(body.schedule);
    const outcome = outcomeOf(body.outcome);
    const template = await this.compliance.template(body.template);
    return this.commands.execute(
      new CreateCampaignCommand(
        {
          campaignId: this.ids.next(),
          name: body.name,
          segment: { ...segment },
          channel: body.channel,
          template,
          schedule,
          controlPercent: body.controlPercent,
          outcome,
        },
        context,
      ),
    );
  }

  @Get('campaigns')
  @Roles('product_manager', 'compliance_officer')
  @ApiOperation({ summary: 'Every campaign, the newest first, keyset-paged; optionally only one state' })
  @ApiOkResponse({ type: CampaignListResponse })
  @ApiBadRequestResponse({ description: 'VALIDATION.FAILED, REACH.CURSOR_INVALID', type: ErrorResponse })
  campaigns(@Query() query: CampaignListQueryDto) {
    return this.queries.campaigns(query.status, query.cursor, query.limit ?? 50);
  }

  @Get('campaigns/:campaignId')
  @Roles('product_manager', 'compliance_officer')
  @ApiOperation({ summary: 'One campaign: its target, schedule, state and progress' })
  @ApiOkResponse({ type: CampaignView })
  @ApiNotFoundResponse({ description: 'REACH.CAMPAIGN_NOT_FOUND', type: ErrorResponse })
  campaign(@Param('campaignId') campaignId: string) {
    return this.queries.campaign(campaignId);
  }

  @Post('campaigns/:campaignId/run')
  @Roles('product_manager')
  @HttpCode(200)
  @ApiOperation({ summary: 'Run the campaign now (it runs once); in quiet hours the fan-out is deferred to their end (G2)' })
  @ApiOkResponse({ type: CampaignRunResponse })
  @ApiNotFoundResponse({ description: 'REACH.CAMPAIGN_NOT_FOUND', type: ErrorResponse })
  @ApiConflictResponse({ description: 'REACH.CAMPAIGN_ALREADY_RAN, CONCURRENCY.CONFLICT', type: ErrorResponse })
  run(@Param('campaignId') campaignId: string, @Ctx() context: CommandContext) {
    return this.runner.run(campaignId, context);
  }

  @Get('campaigns/:campaignId/report')
  @Roles('product_manager', 'compliance_officer')
  @ApiOperation({ summary: 'Reach, opens and the outcome the campaign was for, recipients against the control group' })
  @ApiOkResponse({ type: CampaignReportResponse })
  @ApiNotFoundResponse({ description: 'REACH.CAMPAIGN_NOT_FOUND', type: ErrorResponse })
  report(@Param('campaignId') campaignId: string) {
    return this.queries.report(campaignId, this.clock.now());
  }

  @Post('messages')
  @Roles('product_manager')
  @ApiOperation({ summary: 'Send a message to one investor' })
  @ApiCreatedResponse({ type: SentMessageResponse })
  @ApiBadRequestResponse({ description: 'VALIDATION.FAILED', type: ErrorResponse })
  @ApiUnprocessableEntityResponse({
    description:
      `${TEMPLATE_REFUSALS}, REACH.NO_CONSENT (G1), REACH.QUIET_HOURS, REACH.DAILY_CAP_REACHED, REACH.WEEKLY_CAP_REACHED (G2), ` +
      'REACH.NO_MATCHING_OPINION, REACH.LOWEST_CATEGORY, REACH.ABOVE_RISK_LEVEL, REACH.AGAINST_OBJECTIVES, REACH.NOT_MATCHED (G3)',
    type: ErrorResponse,
  })
  @ApiConflictResponse({ description: 'CONCURRENCY.CONFLICT', type: ErrorResponse })
  send(@Body() body: SendMessageDto, @Ctx() context: CommandContext) {
    return this.direct.send(body.investorId, body.channel, body, context);
  }

  @Get('compliance/investors/:investorId/messages')
  @Roles('compliance_officer')
  @ApiOperation({
    summary:
      "One investor's messages on every channel, oldest first, each with the log event that sent it; the access is recorded with its reason (E5)",
  })
  @ApiOkResponse({ type: InvestorMessagesResponse })
  @ApiBadRequestResponse({ description: 'VALIDATION.FAILED, REACH.CURSOR_INVALID', type: ErrorResponse })
  @ApiUnprocessableEntityResponse({ description: 'AUDIT.ACCESS_REASON_REQUIRED (E5)', type: ErrorResponse })
  async investorMessages(
    @Param('investorId') investorId: string,
    @Query() query: InvestorMessagesQueryDto,
    @Ctx() context: CommandContext,
  ) {
    await this.evidence.recordAccess(
      context,
      'investor_messages',
      { investorId },
      { investorId, cursor: query.cursor ?? null },
      query.reason,
    );
    return this.queries.investorMessages(investorId, query.cursor, query.limit ?? 50);
  }

  @Get('compliance/products/:productId/messages')
  @Roles('compliance_officer')
  @ApiOperation({ summary: 'Every message sent about a product (G4), oldest first' })
  @ApiOkResponse({ type: ProductMessagesResponse })
  @ApiBadRequestResponse({ description: 'VALIDATION.FAILED, REACH.CURSOR_INVALID', type: ErrorResponse })
  productMessages(@Param('productId') productId: string, @Query() query: PageQueryDto) {
    return this.queries.productMessages(productId, query.cursor, query.limit ?? 50);
  }
}
