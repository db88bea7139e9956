import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { PlanSnapshot } from '../domain/subscription';
import type { CouponTerms } from '../domain/coupon';

const bigintAsNumber = { to: (value: number) => value, from: (value: string) => Number(value) };

@Entity('va_subscriptions')
export class SubscriptionView {
  @PrimaryColumn('uuid', { name: 'subscription_id' }) subscriptionId: string;
  @Column('text', { name: 'investor_id' }) investorId: string;
  @Column('text', { name: 'listing_id' }) listingId: string;
  @Column('text') kind: string;
  @Column('jsonb') plan: PlanSnapshot;
  @Column('text') status: string;
  @Column('timestamptz', { name: 'period_start', nullable: true }) periodStart: Date | null;
  @Column('timestamptz', { name: 'period_end', nullable: true }) periodEnd: Date | null;
  @Column('boolean', { name: 'cancel_at_period_end' }) cancelAtPeriodEnd: boolean;
  @Column('timestamptz', { name: 'grace_ends_at', nullable: true }) graceEndsAt: Date | null;
  @Column('text', { name: 'pending_payment_id', nullable: true }) pendingPaymentId: string | null;
  @Column('text', { name: 'last_payment_id', nullable: true }) lastPaymentId: string | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}

@Entity('va_tips')
export class TipView {
  @PrimaryColumn('uuid', { name: 'tip_id' }) tipId: string;
  @Column('text', { name: 'investor_id' }) investorId: string;
  @Column('text', { name: 'target_listing_id' }) targetListingId: string;
  @Column('bigint', { name: 'amount_minor', transformer: bigintAsNumber }) amountMinor: number;
  @Column('text') currency: string;
  @Column('text', { nullable: true }) message: string | null;
  @Column('text') status: string;
  @Column('text', { name: 'payment_id' }) paymentId: string;
  @Column('date', { name: 'business_date' }) businessDate: string;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
}

@Entity('va_coupons')
export class CouponView {
  @PrimaryColumn('text') code: string;
  @Column('jsonb') terms: CouponTerms;
  @Column('integer') redemptions: number;
  @Column('text', { name: 'issued_by' }) issuedBy: string;
  @Column('timestamptz', { name: 'issued_at' }) issuedAt: Date;
}
