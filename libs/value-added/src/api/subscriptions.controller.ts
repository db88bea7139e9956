import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Clock, CommandContext } from '@app/common';
import { MoneyRoute, Roles } from '@app/identity';
import { ApiErrors, AuthenticatedUser, Ctx, Idempotent } from '@app/platform';
import { CancelSubscriptionCommand } from '../application/commands/cancel-subscription/cancel-subscription.handler';
import { SubscribeCommand } from '../application/commands/subscribe/subscribe.handler';
import { EntitlementsService } from '../application/entitlements/entitlements.service';
import { SubscriptionJobs } from '../application/jobs/subscription-jobs';
import { SubscriptionView } from '../projections/read-models.entity';
import { AtQueryDto, CancelDto, SubscribeDto } from './value-added.dto';
import {
  CancelOutcomeResponse,
  EntitlementsResponse,
  InvestorEntitlementsResponse,
  JobRunResponse,
  SubscribedResponse,
  SubscriptionResponse,
} from './value-added.responses';

const IDEMPOTENCY_HEADER = {
  name: 'Idempotency-Key',
  required: true,
  description: 'same key and body replays the first response (header Idempotent-Replayed: true)',
};

@ApiTags('value-added')
@Controller()
export class SubscriptionsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly entitlements: EntitlementsService,
    private readonly jobs: SubscriptionJobs,
    @Inject(Clock) private readonly clock: Clock,
    @InjectRepository(SubscriptionView) private readonly subscriptions: Repository<SubscriptionView>,
  ) {}

  @Post('subscriptions')
  @Roles('investor')
  @MoneyRoute()
  @Idempotent()
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiOperation({ summary: 'Subscribe to a value-added plan' })
  @ApiCreatedResponse({
    description: 'pending until the payment is captured (or trialing when the plan has a trial not yet used)',
    type: SubscribedResponse,
  })
  @ApiErrors({
    400: ['IDEMPOTENCY.KEY_REQUIRED, IDEMPOTENCY.KEY_INVALID: send a well-formed Idempotency-Key header'],
    404: ['CATALOG.LISTING_NOT_FOUND, SUBSCRIPTION.PLAN_NOT_FOUND, COUPON.NOT_FOUND'],
    409: [
      'SUBSCRIPTION.ALREADY_SUBSCRIBED',
      'COUPON.EXHAUSTED, COUPON.NOT_VALID_NOW, COUPON.NOT_FOR_LISTING, COUPON.ALREADY_REDEEMED, COUPON.CURRENCY_MISMATCH: the coupon does not apply',
      'IDEMPOTENCY.IN_PROGRESS: the first request with this key is still running',
    ],
    422: [
      'SUBSCRIPTION.ADVISORY_NOT_SOLD_HERE (A7): advisory products are bought through the advisory flow',
      'COUPON.NOT_FOR_ADVISORY (V2)',
      'EDUCATION.LESSONS_REQUIRED (G8): the listing requires lessons not completed yet; `details.missingLessons` names them',
      'IDEMPOTENCY.KEY_REUSED: the same key was sent with another body',
    ],
  })
  subscribe(@Body() body: SubscribeDto, @Ctx() context: CommandContext) {
    return this.commands.execute(
      new SubscribeCommand(body.listingId, body.planId, body.paymentMethod ?? 'sandbox_ok', body.couponCode, context),
    );
  }

  @Post('subscriptions/:subscriptionId/cancel')
  @Roles('investor')
  @MoneyRoute()
  @Idempotent(200)
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiOperation({ summary: 'Cancel a subscription (at period end, or now with a refund mode)' })
  @ApiOkResponse({
    description: 'at_period_end keeps access until the period ends; immediately ends access now and refunds per refundMode',
    type: CancelOutcomeResponse,
  })
  @ApiErrors({
    400: [
      'IDEMPOTENCY.KEY_REQUIRED, IDEMPOTENCY.KEY_INVALID: send a well-formed Idempotency-Key header',
      'SUBSCRIPTION.REFUND_MODE_REQUIRED, SUBSCRIPTION.PRORATION_NOT_APPLICABLE',
    ],
    404: ['SUBSCRIPTION.NOT_FOUND: no such subscription of yours'],
    409: ['SUBSCRIPTION.NOT_LIVE, SUBSCRIPTION.NO_PERIOD_TO_END, SUBSCRIPTION.CANCELED_AT_PERIOD_END', 'IDEMPOTENCY.IN_PROGRESS'],
    422: ['IDEMPOTENCY.KEY_REUSED'],
  })
  cancel(@Param('subscriptionId', ParseUUIDPipe) subscriptionId: string, @Body() body: CancelDto, @Ctx() context: CommandContext) {
    const request =
      body.mode === 'immediately'
        ? ({ mode: 'immediately', refundMode: body.refundMode ?? 'none' } as const)
        : ({ mode: 'at_period_end' } as const);
    return this.commands.execute(new CancelSubscriptionCommand(subscriptionId, request, context));
  }

  @Post('subscriptions/:subscriptionId/uncancel')
  @Roles('investor')
  @HttpCode(200)
  @ApiOperation({ summary: 'Withdraw a cancellation at period end' })
  @ApiOkResponse({ type: CancelOutcomeResponse })
  @ApiErrors({
    404: ['SUBSCRIPTION.NOT_FOUND: no such subscription of yours'],
    409: ['SUBSCRIPTION.NOT_CANCELING, SUBSCRIPTION.PERIOD_ENDED'],
  })
  uncancel(@Param('subscriptionId', ParseUUIDPipe) subscriptionId: string, @Ctx() context: CommandContext) {
    return this.commands.execute(new CancelSubscriptionCommand(subscriptionId, { mode: 'withdraw' }, context));
  }

  @Get('me/subscriptions')
  @ApiOperation({ summary: 'My subscriptions, newest first' })
  @ApiOkResponse({ type: [SubscriptionResponse] })
  mine(@Req() request: { user: AuthenticatedUser }) {
    return this.subscriptions.find({ where: { investorId: request.user.id }, order: { createdAt: 'DESC' }, take: 200 });
  }

  @Get('me/entitlements')
  @ApiOperation({ summary: 'What I may use at an instant (default now)' })
  @ApiOkResponse({
    description: 'features the caller may use at `at` (default now), each with the subscription granting it',
    type: EntitlementsResponse,
  })
  async myEntitlements(@Req() request: { user: AuthenticatedUser }, @Query() query: AtQueryDto) {
    const at = query.at ? new Date(query.at) : this.clock.now();
    return { at: at.toISOString(), entitlements: await this.entitlements.at(request.user.id, at) };
  }

  @Get('value-added/investors/:investorId/entitlements')
  @Roles('compliance_officer')
  @ApiOperation({ summary: "An investor's entitlements at an instant (compliance)" })
  @ApiOkResponse({
    description: 'point-in-time entitlements of any investor, computed from the event log',
    type: InvestorEntitlementsResponse,
  })
  async investorEntitlements(@Param('investorId', ParseUUIDPipe) investorId: string, @Query() query: AtQueryDto) {
    const at = query.at ? new Date(query.at) : this.clock.now();
    return { investorId, at: at.toISOString(), entitlements: await this.entitlements.at(investorId, at) };
  }

  @Post('value-added/jobs/subscriptions/run')
  @Roles('admin')
  @Idempotent(200)
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiOperation({ summary: 'Run the renewal and expiry job once (admin)' })
  @ApiOkResponse({
    description: 'runs the renewal and expiry job once (it also runs on a timer); safe to run concurrently',
    type: JobRunResponse,
  })
  @ApiErrors({
    400: ['IDEMPOTENCY.KEY_REQUIRED, IDEMPOTENCY.KEY_INVALID'],
    409: ['IDEMPOTENCY.IN_PROGRESS'],
    422: ['IDEMPOTENCY.KEY_REUSED'],
  })
  runJobs() {
    return this.jobs.runOnce();
  }
}
