import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandContext, DomainError, notFound } from '@app/common';
import { CatalogQueries } from '@app/catalog';
import { MoneyRoute, Roles } from '@app/identity';
import { ApiErrors, AggregateStore, Ctx, Idempotent } from '@app/platform';
import { IssueCouponCommand } from '../application/commands/issue-coupon/issue-coupon.handler';
import { SendTipCommand } from '../application/commands/send-tip/send-tip.handler';
import { couponDecider, couponDiscount, couponStreamId, refuseIncentiveOnAdvisory } from '../domain/coupon';
import { IssueCouponDto, QuoteQueryDto, TipDto } from './value-added.dto';
import { CouponIssuedResponse, QuoteResponse, TipResponse } from './value-added.responses';

@ApiTags('value-added')
@Controller()
export class TipsAndCouponsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly catalog: CatalogQueries,
    private readonly aggregates: AggregateStore,
  ) {}

  @Post('tips')
  @Roles('investor')
  @MoneyRoute()
  @Idempotent()
  @ApiHeader({ name: 'Idempotency-Key', required: true })
  @ApiOperation({ summary: 'Tip a live-stream target' })
  @ApiCreatedResponse({ description: 'a tip; it is not a subscription and grants no entitlement (V4)', type: TipResponse })
  @ApiErrors({
    400: [
      'IDEMPOTENCY.KEY_REQUIRED, IDEMPOTENCY.KEY_INVALID: send a well-formed Idempotency-Key header',
      'TIPPING.CURRENCY: not a supported currency',
    ],
    409: ['IDEMPOTENCY.IN_PROGRESS'],
    422: [
      'TIPPING.AMOUNT_OUT_OF_BOUNDS, TIPPING.DAILY_CAP_EXCEEDED, TIPPING.MINOR, TIPPING.AGE_UNKNOWN, TIPPING.NOT_A_TIPPING_TARGET (V4)',
      'CONTENT.PROHIBITED_PHRASE (V3): the message contains a prohibited phrase',
      'IDEMPOTENCY.KEY_REUSED',
    ],
  })
  tip(@Body() body: TipDto, @Ctx() context: CommandContext) {
    return this.commands.execute(
      new SendTipCommand(body.targetListingId, body.amountMinor, body.currency, body.message, body.paymentMethod ?? 'sandbox_ok', context),
    );
  }

  @Post('coupons')
  @Roles('product_manager')
  @ApiOperation({ summary: 'Issue a coupon (value-added listings only)' })
  @ApiCreatedResponse({ description: 'issued; applies to value-added listings only (V2)', type: CouponIssuedResponse })
  @ApiErrors({
    400: ['COUPON.TERMS_INVALID: the terms are invalid (also: a named listing does not exist)'],
    403: ['COUPON.PRODUCT_MANAGER_REQUIRED'],
    409: ['COUPON.CODE_TAKEN'],
    422: ['COUPON.NOT_FOR_ADVISORY (V2): a named listing is advisory', 'CONTENT.PROHIBITED_PHRASE (V3)'],
  })
  issue(@Body() body: IssueCouponDto, @Ctx() context: CommandContext) {
    return this.commands.execute(new IssueCouponCommand({ ...body, listingIds: body.listingIds ?? [] }, context));
  }

  @Get('coupons/:code/quote')
  @ApiOperation({ summary: 'The price of a plan with a coupon' })
  @ApiOkResponse({ description: 'the price of a plan with this coupon', type: QuoteResponse })
  @ApiErrors({ 404: ['CATALOG.LISTING_NOT_FOUND, SUBSCRIPTION.PLAN_NOT_FOUND, COUPON.NOT_FOUND'], 422: ['COUPON.NOT_FOR_ADVISORY (V2)'] })
  async quote(@Param('code') code: string, @Query() query: QuoteQueryDto) {
    const listing = await this.catalog.getPublished(query.listingId);
    const refused = refuseIncentiveOnAdvisory(listing.family);
    if (refused) throw refused;
    const plan = listing.plans.find((candidate) => candidate.planId === query.planId);
    if (!plan) throw notFound('SUBSCRIPTION.PLAN_NOT_FOUND', `listing ${query.listingId} has no plan ${query.planId}`);
    const { state } = await this.aggregates.load(couponDecider, couponStreamId(code));
    if (state.status === 'none') throw new DomainError('not_found', 'COUPON.NOT_FOUND', `coupon ${code} does not exist`);
    const discountMinor = couponDiscount(state.terms, plan.priceMinor);
    return {
      code: state.terms.code,
      listingId: listing.listingId,
      planId: plan.planId,
      priceMinor: plan.priceMinor,
      discountMinor,
      payMinor: plan.priceMinor - discountMinor,
      currency: plan.currency,
    };
  }
}
