import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { BILLING_PERIODS, LISTING_KINDS, RISK_LEVELS } from '../domain/listing-kinds';

const STATUSES = ['draft', 'submitted', 'approved', 'rejected', 'published', 'retired'] as const;
const FAMILIES = ['value_added', 'advisory'] as const;

export class PlanResponse {
  @ApiProperty({ example: 'monthly' }) planId: string;
  @ApiProperty({ example: '月度' }) name: string;
  @ApiProperty({ example: 3000, description: 'integer minor units (fen)' }) priceMinor: number;
  @ApiProperty({ example: 'CNY' }) currency: string;
  @ApiProperty({ enum: BILLING_PERIODS }) billingPeriod: string;
  @ApiPropertyOptional({ example: 7 }) trialDays?: number;
}

export class AdvisorResponse {
  @ApiProperty() advisorId: string;
  @ApiProperty() name: string;
  @ApiProperty({ example: 'S0260611080001', description: 'SAC registration code' }) sacRegistrationCode: string;
}

export class AdvisoryTermsResponse {
  @ApiPropertyOptional({ enum: RISK_LEVELS }) riskLevel?: string;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'number' },
    description: 'liquidity, principalLoss, complexity, leverage: 1 (low) to 5 (high)',
  })
  riskFactors?: Record<string, number>;
  @ApiPropertyOptional({ enum: ['short', 'medium', 'long'] }) horizon?: string;
  @ApiPropertyOptional({ type: [String] }) varieties?: string[];
  @ApiPropertyOptional({ type: [AdvisorResponse] }) advisors?: AdvisorResponse[];
  @ApiPropertyOptional() feeBasis?: string;
  @ApiPropertyOptional() riskDisclosureVersion?: string;
  @ApiPropertyOptional() contractVersion?: string;
}

/** A published value-added listing as investors browse it. */
export class PublicListingResponse {
  @ApiProperty({ format: 'uuid' }) listingId: string;
  @ApiProperty({ enum: FAMILIES }) family: string;
  @ApiProperty({ enum: LISTING_KINDS }) kind: string;
  @ApiProperty() title: string;
  @ApiProperty() description: string;
  @ApiProperty({ type: [PlanResponse] }) plans: PlanResponse[];
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) publishedAt: string | null;
}

export class PublicListingPage {
  @ApiProperty({ type: [PublicListingResponse] }) items: PublicListingResponse[];
  @ApiProperty() total: number;
  @ApiProperty() limit: number;
  @ApiProperty() offset: number;
}

export class PendingRatingChangeResponse {
  @ApiProperty() changeId: string;
  @ApiProperty({ enum: RISK_LEVELS }) from: string;
  @ApiProperty({ enum: RISK_LEVELS }) to: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'number' } }) riskFactors?: Record<string, number>;
  @ApiProperty() reason: string;
  @ApiProperty({ description: 'the requester (maker)' }) by: string;
}

/** A listing in any status, with its review trail (product managers and compliance). */
export class ListingResponse {
  @ApiProperty({ format: 'uuid' }) listingId: string;
  @ApiProperty({ enum: STATUSES }) status: string;
  @ApiProperty({ enum: FAMILIES }) family: string;
  @ApiProperty({ enum: LISTING_KINDS }) kind: string;
  @ApiProperty() title: string;
  @ApiProperty() description: string;
  @ApiProperty({ type: [PlanResponse] }) plans: PlanResponse[];
  @ApiProperty({ type: AdvisoryTermsResponse, nullable: true }) advisory: AdvisoryTermsResponse | null;
  @ApiProperty({ enum: RISK_LEVELS, nullable: true }) riskLevel: string | null;
  @ApiProperty({ type: Number, nullable: true, description: 'the cheapest plan, minor units' }) minPriceMinor: number | null;
  @ApiProperty({ description: 'the maker' }) createdBy: string;
  @ApiProperty({ type: String, nullable: true }) submittedBy: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'the checker' }) reviewedBy: string | null;
  @ApiProperty({ type: String, nullable: true }) reviewNote: string | null;
  @ApiProperty({ type: PendingRatingChangeResponse, nullable: true, description: 'a risk-rating change awaiting review (L4)' })
  pendingRatingChange: PendingRatingChangeResponse | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) publishedAt: string | null;
}

export class ListingPage {
  @ApiProperty({ type: [ListingResponse] }) items: ListingResponse[];
  @ApiProperty() total: number;
  @ApiProperty() limit: number;
  @ApiProperty() offset: number;
}

export class ListingCreatedResponse {
  @ApiProperty({ format: 'uuid' }) listingId: string;
}

/** A listing's status after a step of its life. */
export class ListingStatusResponse {
  @ApiProperty({ format: 'uuid' }) listingId: string;
  @ApiProperty({ enum: STATUSES }) status: string;
  @ApiProperty({ enum: FAMILIES }) family: string;
}

export class RatingChangeCreatedResponse {
  @ApiProperty({ format: 'uuid' }) listingId: string;
  @ApiProperty({ description: 'names the change in approve/reject' }) changeId: string;
}
