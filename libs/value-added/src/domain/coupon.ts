/**
 * Coupons (V2): incentives apply to value-added products only, never to advisory ones. A coupon is its own stream so
 * its redemption limit and "once per investor" hold under concurrency.
 */
import { conflict, Decider, DomainError, DomainEvent, forbidden, invalid, notFound, ruleViolation, checkContent } from '@app/common';

export interface CouponTerms {
  readonly code: string;
  /** Exactly one of percentOff (1–100) and amountOffMinor. */
  readonly percentOff?: number;
  readonly amountOffMinor?: number;
  readonly currency: string;
  readonly validFrom: string;
  readonly validUntil: string;
  readonly maxRedemptions: number;
  /** Restrict to these listings; empty means every value-added listing. */
  readonly listingIds: readonly string[];
  readonly description: string;
  /** A personal coupon (bought with points): only this investor may redeem it. */
  readonly forInvestorId?: string;
}

/** A coupon bought with points (G5): issued by the investor's points ledger decision rather than by a product manager. */
export interface PointsRedemption {
  readonly investorId: string;
  readonly redemptionId: string;
}

/** Terms as issued: codes are case-insensitive (kept upper-case, the stream is named by it), each listing named once. */
export const normalisedTerms = (terms: CouponTerms): CouponTerms => ({
  ...terms,
  code: terms.code.toUpperCase(),
  listingIds: [...new Set(terms.listingIds)],
});

/** A listing's family as the catalog has it when the coupon is issued; `unknown` when no such listing exists. */
export type TargetFamily = 'value_added' | 'advisory' | 'unknown';

export type CouponCommand =
  | {
      readonly type: 'IssueCoupon';
      readonly terms: CouponTerms;
      /** The family of every listing the terms name, read from the catalog by the handler. */
      readonly targets: Readonly<Record<string, TargetFamily>>;
      readonly actor: { readonly id: string; readonly roles: readonly string[] };
      readonly at: string;
      readonly pointsRedemption?: PointsRedemption;
    }
  | {
      readonly type: 'RedeemCoupon';
      readonly code: string;
      readonly investorId: string;
      readonly listingId: string;
      readonly family: 'value_added' | 'advisory';
      readonly priceMinor: number;
      readonly currency: string;
      readonly subscriptionId: string;
      readonly at: string;
    };

export const CouponEventTypes = {
  Issued: 'value-added.CouponIssued',
  Redeemed: 'value-added.CouponRedeemed',
} as const;

type T = typeof CouponEventTypes;
export type CouponEvent =
  | DomainEvent<T['Issued'], { terms: CouponTerms; by: string; at: string; pointsRedemption?: PointsRedemption }>
  | DomainEvent<
      T['Redeemed'],
      { code: string; investorId: string; listingId: string; subscriptionId: string; priceMinor: number; discountMinor: number; at: string }
    >;

export type CouponState =
  | { readonly status: 'none' }
  | {
      readonly status: 'issued';
      readonly terms: CouponTerms;
      readonly redeemedBy: Readonly<Record<string, string>>;
      readonly redemptions: number;
    };

/** The discount a coupon gives on a price, never more than the price. */
export const couponDiscount = (terms: Pick<CouponTerms, 'percentOff' | 'amountOffMinor'>, priceMinor: number): number =>
  Math.min(priceMinor, terms.percentOff !== undefined ? Math.floor((priceMinor * terms.percentOff) / 100) : (terms.amountOffMinor ?? 0));

/** V2 on its own, for any path that could apply an incentive. */
export const refuseIncentiveOnAdvisory = (family: string): DomainError | undefined =>
  family === 'advisory'
    ? ruleViolation('COUPON.NOT_FOR_ADVISORY', 'V2', 'coupons and other incentives never apply to advisory products')
    : undefined;

const decide = (command: CouponCommand, state: CouponState): CouponEvent[] | DomainError => {
  if (command.type === 'IssueCoupon') {
    if (state.status !== 'none') return conflict('COUPON.CODE_TAKEN', `coupon ${command.terms.code} exists`);
    const { terms, pointsRedemption } = command;
    if (!pointsRedemption && !command.actor.roles.includes('product_manager'))
      return forbidden('COUPON.PRODUCT_MANAGER_REQUIRED', 'coupons are issued by product managers');
    if (pointsRedemption && (terms.maxRedemptions !== 1 || terms.forInvestorId !== pointsRedemption.investorId)) {
      return invalid('COUPON.TERMS_INVALID', 'a coupon bought with points is single-use and for the investor who bought it');
    }
    // V2 at issue: a coupon aimed at an advisory listing is never issued, so none is ever offered to an investor. A
    // listing classified as advisory after the coupon was issued (a new review, V1) is still refused at use, below.
    const advisory = terms.listingIds.filter((listingId) => command.targets[listingId] === 'advisory');
    if (advisory.length > 0) {
      return ruleViolation(
        'COUPON.NOT_FOR_ADVISORY',
        'V2',
        `coupons and other incentives never apply to advisory products (${advisory.join(', ')})`,
        { listingIds: advisory },
      );
    }
    const unknown = terms.listingIds.filter((listingId) => (command.targets[listingId] ?? 'unknown') === 'unknown');
    if (unknown.length > 0) return invalid('COUPON.TERMS_INVALID', `no listing ${unknown.join(', ')}`);
    const hasPercent = terms.percentOff !== undefined;
    const hasAmount = terms.amountOffMinor !== undefined;
    if (hasPercent === hasAmount) return invalid('COUPON.TERMS_INVALID', 'a coupon gives either a percentage or an amount off');
    if (hasPercent && (!Number.isInteger(terms.percentOff) || terms.percentOff! < 1 || terms.percentOff! > 100))
      return invalid('COUPON.TERMS_INVALID', 'percent off is 1 to 100');
    if (hasAmount && (!Number.isSafeInteger(terms.amountOffMinor) || terms.amountOffMinor! <= 0))
      return invalid('COUPON.TERMS_INVALID', 'amount off is a positive integer');
    if (!Number.isInteger(terms.maxRedemptions) || terms.maxRedemptions < 1)
      return invalid('COUPON.TERMS_INVALID', 'at least one redemption');
    if (!(Date.parse(terms.validFrom) < Date.parse(terms.validUntil)))
      return invalid('COUPON.TERMS_INVALID', 'validity ends after it starts');
    const check = checkContent(terms.description);
    if (!check.ok) {
      return ruleViolation('CONTENT.PROHIBITED_PHRASE', check.rule, `coupon description contains "${check.phrase}"`, {
        phrase: check.phrase,
        category: check.category,
      });
    }
    return [
      {
        type: CouponEventTypes.Issued,
        data: { terms, by: command.actor.id, at: command.at, ...(pointsRedemption ? { pointsRedemption } : {}) },
      },
    ];
  }
  // V2 comes first: an advisory purchase is refused whatever the coupon.
  const refused = refuseIncentiveOnAdvisory(command.family);
  if (refused) return refused;
  if (state.status === 'none') return notFound('COUPON.NOT_FOUND', `coupon ${command.code} does not exist`);
  const { terms } = state;
  if (state.redeemedBy[command.investorId] === command.subscriptionId) return [];
  if (terms.forInvestorId !== undefined && terms.forInvestorId !== command.investorId)
    return forbidden('COUPON.NOT_YOURS', 'this coupon belongs to another investor');
  if (state.redeemedBy[command.investorId]) return conflict('COUPON.ALREADY_REDEEMED', 'this investor has already used this coupon');
  const now = Date.parse(command.at);
  if (now < Date.parse(terms.validFrom) || now >= Date.parse(terms.validUntil))
    return conflict('COUPON.NOT_VALID_NOW', 'the coupon is not valid at this time');
  if (state.redemptions >= terms.maxRedemptions) return conflict('COUPON.EXHAUSTED', 'the coupon has been fully redeemed');
  if (terms.listingIds.length > 0 && !terms.listingIds.includes(command.listingId))
    return conflict('COUPON.NOT_FOR_LISTING', 'the coupon does not apply to this product');
  if (terms.amountOffMinor !== undefined && terms.currency !== command.currency)
    return conflict('COUPON.CURRENCY_MISMATCH', 'the coupon is in another currency');
  return [
    {
      type: CouponEventTypes.Redeemed,
      data: {
        code: terms.code,
        investorId: command.investorId,
        listingId: command.listingId,
        subscriptionId: command.subscriptionId,
        priceMinor: command.priceMinor,
        discountMinor: couponDiscount(terms, command.priceMinor),
        at: command.at,
      },
    },
  ];
};

const evolve = (state: CouponState, event: CouponEvent): CouponState => {
  if (event.type === CouponEventTypes.Issued) return { status: 'issued', terms: event.data.terms, redeemedBy: {}, redemptions: 0 };
  if (state.status === 'none') return state;
  return {
    ...state,
    redeemedBy: { ...state.redeemedBy, [event.data.investorId]: event.data.subscriptionId },
    redemptions: state.redemptions + 1,
  };
};

export const couponDecider: Decider<CouponCommand, CouponEvent, CouponState> = { initialState: { status: 'none' }, decide, evolve };

export const couponStreamId = (code: string) => `value-added.coupon-${code.toUpperCase()}`;
