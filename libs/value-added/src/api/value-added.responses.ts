import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class SubscribedResponse {
  @ApiProperty({ format: 'uuid' }) subscriptionId: string;
  @ApiProperty({ example: 'pending', description: 'pending until the payment is captured; trialing during a trial' }) status: string;
  @ApiProperty({ type: String, nullable: true, description: 'the payment requested (none for a trial)' }) paymentId: string | null;
  @ApiProperty({ description: 'charged now, integer minor units' }) amountMinor: number;
  @ApiProperty({ example: 'CNY' }) currency: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) periodEnd: string | null;
}

export class CancelRefundResponse {
  @ApiProperty() refundId: string;
  @ApiProperty({ description: 'integer minor units' }) amountMinor: number;
}

export class CancelOutcomeResponse {
  @ApiProperty({ format: 'uuid' }) subscriptionId: string;
  @ApiProperty() status: string;
  @ApiProperty({ description: 'true: access continues until the period ends' }) cancelAtPeriodEnd: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) accessUntil: string | null;
  @ApiProperty({ type: CancelRefundResponse, nullable: true }) refund: CancelRefundResponse | null;
}

export class PlanSnapshotResponse {
  @ApiProperty() planId: string;
  @ApiProperty({ description: 'integer minor units' }) priceMinor: number;
  @ApiProperty() currency: string;
  @ApiProperty({ enum: ['month', 'quarter', 'year', 'one_off'] }) billingPeriod: string;
  @ApiPropertyOptional() trialDays?: number;
}

export class SubscriptionResponse {
  @ApiProperty({ format: 'uuid' }) subscriptionId: string;
  @ApiProperty({ format: 'uuid' }) investorId: string;
  @ApiProperty({ format: 'uuid' }) listingId: string;
  @ApiProperty({ example: 'level2_data' }) kind: string;
  @ApiProperty({ type: PlanSnapshotResponse }) plan: PlanSnapshotResponse;
  @ApiProperty({ example: 'active' }) status: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) periodStart: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) periodEnd: string | null;
  @ApiProperty() cancelAtPeriodEnd: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) graceEndsAt: string | null;
  @ApiProperty({ type: String, nullable: true }) pendingPaymentId: string | null;
  @ApiProperty({ type: String, nullable: true }) lastPaymentId: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class EntitlementResponse {
  @ApiProperty({ example: 'level2.quotes' }) feature: string;
  @ApiProperty({ format: 'uuid' }) listingId: string;
  @ApiProperty({ format: 'uuid' }) subscriptionId: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'null: no end (one-off purchase)' }) validUntil:
    string | null;
}

export class EntitlementsResponse {
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ type: [EntitlementResponse] }) entitlements: EntitlementResponse[];
}

export class InvestorEntitlementsResponse extends EntitlementsResponse {
  @ApiProperty({ format: 'uuid' }) investorId: string;
}

export class JobRunResponse {
  @ApiProperty() renewalsRequested: number;
  @ApiProperty() expired: number;
  @ApiProperty() skipped: number;
}

export class TipResponse {
  @ApiProperty({ format: 'uuid' }) tipId: string;
  @ApiProperty() paymentId: string;
  @ApiProperty({ example: 'sent' }) status: string;
}

export class CouponIssuedResponse {
  @ApiProperty() code: string;
}

export class QuoteResponse {
  @ApiProperty() code: string;
  @ApiProperty({ format: 'uuid' }) listingId: string;
  @ApiProperty() planId: string;
  @ApiProperty({ description: 'integer minor units' }) priceMinor: number;
  @ApiProperty() discountMinor: number;
  @ApiProperty() payMinor: number;
  @ApiProperty() currency: string;
}

export class PriceLevelResponse {
  @ApiProperty({ description: 'price in fen' }) priceMinor: number;
  @ApiProperty() volume: number;
}

export class Level2Response {
  @ApiProperty({ example: '600519.SH' }) symbol: string;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ type: [PriceLevelResponse] }) bids: PriceLevelResponse[];
  @ApiProperty({ type: [PriceLevelResponse] }) asks: PriceLevelResponse[];
}
