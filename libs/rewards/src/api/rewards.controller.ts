import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
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
import { CommandContext, money } from '@app/common';
import { ErrorResponse, MoneyRoute, Roles } from '@app/identity';
import { Ctx, Idempotent } from '@app/platform';
import { AwardCampaignPointsCommand, OpenBudgetCommand } from '../application/commands/budgets.handler';
import { CheckInCommand } from '../application/commands/check-in.handler';
import { RedeemPointsCommand } from '../application/commands/redeem-points.handler';
import { PredictCommand, SettleRoundCommand } from '../application/commands/up-down.handler';
import { PointsView, RewardsQueries } from '../application/queries/rewards.queries';
import { REWARDS_SETTINGS, RewardsSettings } from '../application/rewards-settings';
import {
  BudgetResponse,
  CampaignAwardDto,
  CampaignAwardResponse,
  CampaignParams,
  CheckInResponse,
  OpenBudgetDto,
  PointsResponse,
  PredictDto,
  PredictionResponse,
  RedeemDto,
  RedemptionOptionsResponse,
  RedemptionResponse,
  RoundParams,
  RoundResponse,
  SettlementResponse,
} from './rewards.dto';

const UNAUTHORIZED = { description: 'AUTH.* (no or an invalid bearer token)', type: ErrorResponse };
const FORBIDDEN = { description: 'AUTH.ROLE_REQUIRED', type: ErrorResponse };
const CONCURRENCY = 'CONCURRENCY.CONFLICT (a concurrent change won every retry; retry)';

@ApiTags('rewards')
@ApiBearerAuth()
@ApiUnauthorizedResponse(UNAUTHORIZED)
@Controller()
export class RewardsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: RewardsQueries,
    @Inject(REWARDS_SETTINGS) private readonly settings: RewardsSettings,
  ) {}

  @Get('me/points')
  @Roles('investor')
  @ApiOperation({ summary: 'My points: balance, open lots (oldest first) and history (G5: never negative, no cash value)' })
  @ApiOkResponse({ type: PointsResponse })
  @ApiForbiddenResponse(FORBIDDEN)
  points(@Ctx() context: CommandContext): Promise<PointsView> {
    return this.queries.points(context.actor.id, context.now);
  }

  @Post('me/check-ins')
  @Roles('investor')
  @ApiOperation({
    summary: 'Check in for today (Beijing calendar day), on the qualifying activity in force; points follow into the ledger',
  })
  @ApiCreatedResponse({ type: CheckInResponse })
  @ApiForbiddenResponse(FORBIDDEN)
  @ApiConflictResponse({
    description: `CHECKIN.ALREADY_TODAY (one per Beijing day), CHECKIN.NOT_CONFIGURED, BUDGET.NOT_OPEN, ${CONCURRENCY}`,
    type: ErrorResponse,
  })
  @ApiUnprocessableEntityResponse({
    description:
      'CHECKIN.NOT_QUALIFIED (the check-in rule in force is not met; details.qualifyingRule names it), BUDGET.EXHAUSTED (G5: the check-in campaign’s budget)',
    type: ErrorResponse,
  })
  checkIn(@Ctx() context: CommandContext): Promise<CheckInResponse> {
    return this.commands.execute(new CheckInCommand(context));
  }

  @Get('rewards/redemption-options')
  @ApiOperation({ summary: 'What points buy: discounts on value-added products only (V2)' })
  @ApiOkResponse({ type: RedemptionOptionsResponse })
  redemptionOptions(): RedemptionOptionsResponse {
    return { options: this.settings.redemptionOptions.map((option) => ({ ...option, amountOff: { ...option.amountOff } })) };
  }

  @Post('me/points/redemptions')
  @Roles('investor')
  @MoneyRoute()
  @Idempotent()
  @ApiOperation({ summary: 'Redeem points for a single-use coupon on a value-added listing (G5, V2)' })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: true,
    description: 'same key and body replays the first response (header Idempotent-Replayed: true)',
  })
  @ApiCreatedResponse({ type: RedemptionResponse })
  @ApiBadRequestResponse({ description: 'IDEMPOTENCY.KEY_REQUIRED, IDEMPOTENCY.KEY_INVALID, VALIDATION.FAILED', type: ErrorResponse })
  @ApiForbiddenResponse(FORBIDDEN)
  @ApiNotFoundResponse({
    description: 'REWARDS.OPTION_NOT_FOUND, CATALOG.LISTING_NOT_FOUND (no such or no published listing)',
    type: ErrorResponse,
  })
  @ApiConflictResponse({ description: `IDEMPOTENCY.IN_PROGRESS, BUDGET.NOT_OPEN, ${CONCURRENCY}`, type: ErrorResponse })
  @ApiUnprocessableEntityResponse({
    description:
      'REWARDS.NOT_FOR_ADVISORY (V2: never on an advisory listing), POINTS.INSUFFICIENT (G5: a ledger never goes negative), BUDGET.EXHAUSTED (G5), IDEMPOTENCY.KEY_REUSED',
    type: ErrorResponse,
  })
  @ApiTooManyRequestsResponse({ description: 'RATE_LIMIT.* (per-user limit on money routes)', type: ErrorResponse })
  redeem(@Body() body: RedeemDto, @Ctx() context: CommandContext): Promise<RedemptionResponse> {
    return this.commands.execute(new RedeemPointsCommand(body.optionId, body.listingId, context));
  }

  @Post('rewards/campaigns/:campaignId/budget')
  @Roles('product_manager')
  @ApiOperation({ summary: 'Open a campaign’s budget of points and money (G5: never overspent)' })
  @ApiCreatedResponse({ type: BudgetResponse })
  @ApiBadRequestResponse({ description: 'VALIDATION.FAILED, BUDGET.INVALID', type: ErrorResponse })
  @ApiForbiddenResponse(FORBIDDEN)
  @ApiConflictResponse({ description: `BUDGET.ALREADY_OPEN, ${CONCURRENCY}`, type: ErrorResponse })
  openBudget(
    @Param() { campaignId }: CampaignParams,
    @Body() body: OpenBudgetDto,
    @Ctx() context: CommandContext,
  ): Promise<BudgetResponse> {
    return this.commands.execute(
      new OpenBudgetCommand(campaignId, body.points, money(body.money.amountMinor, body.money.currency), context),
    );
  }

  @Get('rewards/campaigns/:campaignId/budget')
  @Roles('product_manager', 'compliance_officer', 'admin')
  @ApiOperation({ summary: 'A campaign’s budget: limits, spent and left' })
  @ApiOkResponse({ type: BudgetResponse })
  @ApiBadRequestResponse({ description: 'VALIDATION.FAILED', type: ErrorResponse })
  @ApiForbiddenResponse(FORBIDDEN)
  @ApiNotFoundResponse({ description: 'BUDGET.NOT_FOUND', type: ErrorResponse })
  budget(@Param() { campaignId }: CampaignParams): Promise<BudgetResponse> {
    return this.queries.budget(campaignId);
  }

  @Post('rewards/campaigns/:campaignId/awards')
  @Roles('product_manager')
  @ApiOperation({ summary: 'Award points to an investor from a campaign’s budget; the same award id is awarded once (G5)' })
  @ApiCreatedResponse({ type: CampaignAwardResponse })
  @ApiBadRequestResponse({ description: 'VALIDATION.FAILED', type: ErrorResponse })
  @ApiForbiddenResponse(FORBIDDEN)
  @ApiConflictResponse({ description: `BUDGET.NOT_OPEN, ${CONCURRENCY}`, type: ErrorResponse })
  @ApiUnprocessableEntityResponse({ description: 'BUDGET.EXHAUSTED (G5: the budget cannot cover it)', type: ErrorResponse })
  award(
    @Param() { campaignId }: CampaignParams,
    @Body() body: CampaignAwardDto,
    @Ctx() context: CommandContext,
  ): Promise<CampaignAwardResponse> {
    return this.commands.execute(new AwardCampaignPointsCommand(campaignId, body.investorId, body.awardId, body.points, context));
  }

  @Post('games/up-down/predictions')
  @Roles('investor')
  @ApiOperation({ summary: '猜涨跌: predict whether an index closes up or down, before the round’s cut-off (points only, G5)' })
  @ApiCreatedResponse({ type: PredictionResponse })
  @ApiBadRequestResponse({ description: 'VALIDATION.FAILED, UPDOWN.DAY_INVALID (not a calendar date)', type: ErrorResponse })
  @ApiForbiddenResponse(FORBIDDEN)
  @ApiConflictResponse({
    description: `UPDOWN.ROUND_CLOSED (past the cut-off or settled), UPDOWN.ALREADY_PREDICTED, UPDOWN.UNKNOWN_INDEX, UPDOWN.NOT_A_TRADING_DAY, UPDOWN.TOO_EARLY (more than 7 days ahead), ${CONCURRENCY}`,
    type: ErrorResponse,
  })
  predict(@Body() body: PredictDto, @Ctx() context: CommandContext): Promise<PredictionResponse> {
    return this.commands.execute(new PredictCommand(body.indexCode, body.direction, body.tradingDay, context));
  }

  @Get('games/up-down/rounds/:roundId')
  @ApiOperation({ summary: 'A round: cut-off, how many predicted each way, outcome and winners once settled' })
  @ApiOkResponse({ type: RoundResponse })
  @ApiBadRequestResponse({ description: 'VALIDATION.FAILED', type: ErrorResponse })
  @ApiNotFoundResponse({ description: 'UPDOWN.ROUND_NOT_FOUND', type: ErrorResponse })
  round(@Param() { roundId }: RoundParams): Promise<RoundResponse> {
    return this.queries.round(roundId);
  }

  @Post('games/up-down/rounds/:roundId/settlement')
  @HttpCode(200)
  @Roles('product_manager', 'admin')
  @ApiOperation({
    summary: 'Settle a round from the market-data feed now (the job does it every tick); exactly once, a repeat changes nothing',
  })
  @ApiOkResponse({ type: SettlementResponse })
  @ApiBadRequestResponse({ description: 'VALIDATION.FAILED, UPDOWN.WRONG_CLOSE', type: ErrorResponse })
  @ApiForbiddenResponse(FORBIDDEN)
  @ApiNotFoundResponse({ description: 'UPDOWN.ROUND_NOT_FOUND', type: ErrorResponse })
  @ApiConflictResponse({
    description: `UPDOWN.NO_CLOSE_YET, UPDOWN.NOT_YET (before the cut-off), BUDGET.NOT_OPEN, ${CONCURRENCY}`,
    type: ErrorResponse,
  })
  @ApiUnprocessableEntityResponse({ description: 'BUDGET.EXHAUSTED (G5: the up/down campaign’s budget)', type: ErrorResponse })
  settle(@Param() { roundId }: RoundParams, @Ctx() context: CommandContext): Promise<SettlementResponse> {
    return this.commands.execute(new SettleRoundCommand(roundId, context));
  }
}
