import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { CommandContext, DomainError, notFound } from '@app/common';
import { CatalogQueries } from '@app/catalog';
import { ErrorResponse, MoneyRoute, Roles } from '@app/identity';
import { AggregateStore, Ctx, Idempotent } from '@app/platform';
import { IssueCouponCommand } from '../application/commands/issue-coupon/issue-coupon.handler';
import { SendTipCommand } from '../application/commands/send-tip/send-tip.handler';
import { couponDecider, couponDiscount, couponStreamId, refuseIncentiveOnAdvisory } from '../domain/coupon';
import { IssueCouponDto, QuoteQueryDto, TipDto } from './value-added.dto';


@ApiTags('value-added')
@ApiBearerAuth()
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
  @ApiCreatedResponse({ description: 'a tip; it is not a subscription and grants no entitlement (V4)' })
  @ApiBadRequestResponse({ description: 'IDEMPOTENCY.KEY_REQUIRED, VALIDATION.FAILED', type: ErrorResponse })
  @ApiUnprocessableEntityResponse({
    description:
      'TIPPING.AMOUNT_OUT_OF_BOUNDS, TIPPING.DAILY_CAP_EXCEEDED, TIPPING.MINOR, TIPPING.AGE_UNKNOWN, TIPPING.NOT_A_TIPPING_TARGET (V4); CONTENT.PROHIBITED_PHRASE (V3)',
    type: ErrorResponse,
  })
  tip(@Body() body: TipDto, @Ctx() context: CommandContext) {
    return this.commands.execute(new SendTipCommand(body.targetListingId, body.amountMinor, body.currency, body.message, body.paymentMethod ?? 'sandbox_ok', context));
  }

  @Post('coupons')
  @Roles('product_manager')
  @ApiCreatedResponse({ description: 'issued; applies to value-added listings only (V2)' })
  @ApiBadRequestResponse({ description: 'COUPON.TERMS_INVALID (also: a named listing does not exist), VALIDATION.FAILED', type: ErrorResponse })
  @ApiUnprocessableEntityResponse({ description: 'COUPON.NOT_FOR_ADVISORY (V2: a named listing is advisory), CONTENT.PROHIBITED_PHRASE (V3)', type: ErrorResponse })
  @ApiConflictResponse({ description: 'COUPON.CODE_TAKEN', type: ErrorResponse })
  issue(@Body() body: IssueCouponDto, @Ctx() context: CommandContext) {
    return this.commands.execute(new IssueCouponCommand({ ...body, listingIds: body.listingIds ?? [] }, context));
  }

  @Get('coupons/:code/quote')
  @ApiOkResponse({ description: 'the price of a plan with this coupon' })
  @ApiUnprocessableEntityResponse({ description: 'COUPON.NOT_FOR_ADVISORY (V2)', type: ErrorResponse })
  async quote(@Param('code') code: string, @Query() query: QuoteQueryDto) {
    const listing = await this.catalog.getPublished(query.listingId);
    const refused = refuseIncentiveOnAdvisory(listing.family);
    if (refused) throw refused;
    const plan = listing.plans.find((candidate) => candidate.planId === query.planId);
    if (!plan) throw notFound('SUBSCRIPTION.PLAN_NOT_FOUND', `listing ${query.listingId} has no plan ${query.planId}`);
    const { state } = await this.aggregates.load(couponDecider, couponStreamId(code));
    if (state.status === 'none') throw new DomainError('not_found', 'COUPON.NOT_FOUND', `coupon ${code} does not exist`);
    const discountMinor = couponDiscount(state.terms, plan.priceMinor);
    return { code: state.terms.code, listingId: listing.listingId, planId: plan.planId, priceMinor: plan.priceMinor, discountMinor, payMinor: plan.priceMinor - discountMinor, currency: plan.currency };
  }
}
