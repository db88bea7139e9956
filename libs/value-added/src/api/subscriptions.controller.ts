import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Clock, CommandContext } from '@app/common';
import { ErrorResponse, MoneyRoute, Roles } from '@app/identity';
import { AuthenticatedUser, Ctx, Idempotent } from '@app/platform';
import { CancelSubscriptionCommand } from '../application/commands/cancel-subscription/cancel-subscription.handler';
import { SubscribeCommand } from '../application/commands/subscribe/subscribe.handler';
import { EntitlementsService } from '../application/entitlements/entitlements.service';
import { SubscriptionJobs } from '../application/jobs/subscription-jobs';
import { SubscriptionView } from '../projections/read-models.entity';
import { AtQueryDto, CancelDto, SubscribeDto } from './value-added.dto';

const IDEMPOTENCY_HEADER = { name: 'Idempotency-Key', required: true, description: 'same key and body replays the first response (header Idempotent-Replayed: true)' };

@ApiTags('value-added')
@ApiBearerAuth()
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
  @ApiCreatedResponse({ description: 'pending until the payment is captured (or trialing when the plan has a trial not yet used)' })
  @ApiBadRequestResponse({ description: 'IDEMPOTENCY.KEY_REQUIRED, VALIDATION.FAILED', type: ErrorResponse })
  @ApiNotFoundResponse({ description: 'CATALOG.LISTING_NOT_FOUND, SUBSCRIPTION.PLAN_NOT_FOUND, COUPON.NOT_FOUND', type: ErrorResponse })
  @ApiConflictResponse({ description: 'SUBSCRIPTION.ALREADY_SUBSCRIBED, IDEMPOTENCY.IN_PROGRESS, COUPON.*', type: ErrorResponse })
  @ApiUnprocessableEntityResponse({
    description: 'SUBSCRIPTION.ADVISORY_NOT_SOLD_HERE (A7), COUPON.NOT_FOR_ADVISORY (V2), IDEMPOTENCY.KEY_REUSED',
    type: ErrorResponse,
  })
  subscribe(@Body() body: SubscribeDto, @Ctx() context: CommandContext) {
    return this.commands.execute(new SubscribeCommand(body.listingId, body.planId, body.paymentMethod ?? 'sandbox_ok', body.couponCode, context));
  }

  @Post('subscriptions/:subscriptionId/cancel')
  @Roles('investor')
  @MoneyRoute()
  @Idempotent(200)
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiOkResponse({ description: 'at_period_end keeps access until the period ends; immediately ends access now and refunds per refundMode' })
  @ApiConflictResponse({ description: 'SUBSCRIPTION.NOT_LIVE, SUBSCRIPTION.NO_PERIOD_TO_END', type: ErrorResponse })
  cancel(@Param('subscriptionId', ParseUUIDPipe) subscriptionId: string, @Body() body: CancelDto, @Ctx() context: CommandContext) {
    const request = body.mode === 'immediately' ? ({ mode: 'immediately', refundMode: body.refundMode ?? 'none' } as const) : ({ mode: 'at_period_end' } as const);
    return this.commands.execute(new CancelSubscriptionCommand(subscriptionId, request, context));
  }

  @Post('subscriptions/:subscriptionId/uncancel')
  @Roles('investor')
  @HttpCode(200)
  @ApiConflictResponse({ description: 'SUBSCRIPTION.NOT_CANCELING, SUBSCRIPTION.PERIOD_ENDED', type: ErrorResponse })
  uncancel(@Param('subscriptionId', ParseUUIDPipe) subscriptionId: string, @Ctx() context: CommandContext) {
    return this.commands.execute(new CancelSubscriptionCommand(subscriptionId, { mode: 'withdraw' }, context));
  }

  @Get('me/subscriptions')
  mine(@Req() request: { user: AuthenticatedUser }) {
    return this.subscriptions.find({ where: { investorId: request.user.id }, order: { createdAt: 'DESC' }, take: 200 });
  }

  @Get('me/entitlements')
  @ApiOkResponse({ description: 'features the caller may use at `at` (default now), each with the subscription granting it' })
  async myEntitlements(@Req() request: { user: AuthenticatedUser }, @Query() query: AtQueryDto) {
    const at = query.at ? new Date(query.at) : this.clock.now();
    return { at: at.toISOString(), entitlements: await this.entitlements.at(request.user.id, at) };
  }

  @Get('value-added/investors/:investorId/entitlements')
  @Roles('compliance_officer')
  @ApiOkResponse({ description: 'point-in-time entitlements of any investor, computed from the event log' })
  async investorEntitlements(@Param('investorId', ParseUUIDPipe) investorId: string, @Query() query: AtQueryDto) {
    const at = query.at ? new Date(query.at) : this.clock.now();
    return { investorId, at: at.toISOString(), entitlements: await this.entitlements.at(investorId, at) };
  }

  @Post('value-added/jobs/subscriptions/run')
  @Roles('admin')
  @Idempotent(200)
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiOkResponse({ description: 'runs the renewal and expiry job once (it also runs on a timer); safe to run concurrently' })
  runJobs() {
    return this.jobs.runOnce();
  }
}
