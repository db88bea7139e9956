import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { CURRENCIES } from '@app/common';

const SLUG = /^[a-z0-9][a-z0-9-]{0,63}$/;
const MAX_POINTS = 1_000_000_000;

// ---- requests ----

export class CampaignParams {
  @ApiProperty({
    example: 'spring-2027',
    description:
      'lowercase letters, digits and dashes; the built-in tools charge `check-in`, `up-down` and `points-redemption` when they are opened',
  })
  @Matches(SLUG)
  campaignId: string;
}

export class RoundParams {
  @ApiProperty({ example: '000300.SH-2026-12-03', description: '<index code>-<Beijing trading date>' })
  @IsString()
  @MaxLength(64)
  roundId: string;
}

export class MoneyDto {
  @ApiProperty({ example: 50_000, description: 'integer minor units (fen)' }) @IsInt() @Min(0) @Max(1_000_000_000_000) amountMinor: number;
  @ApiProperty({ enum: CURRENCIES, example: 'CNY' }) @IsIn(CURRENCIES) currency: string;
}

export class OpenBudgetDto {
  @ApiProperty({ example: 100_000, description: 'the most points the campaign may give' }) @IsInt() @Min(0) @Max(MAX_POINTS) points: number;
  @ApiProperty({ type: MoneyDto, description: 'the most money the campaign may cost (discounts bought with points)' })
  @IsDefined()
  @ValidateNested()
  @Type(() => MoneyDto)
  money: MoneyDto;
}

export class CampaignAwardDto {
  @ApiProperty({ example: '0193a1f2-7c4e-7a10-9b1e-3f2d5c6a7b80', description: 'the investor’s user id' })
  @IsString()
  @Matches(/^[0-9a-f-]{36}$/)
  investorId: string;
  @ApiProperty({ example: 'welcome-0193a1f2', description: 'the caller’s id for this award: the same id is awarded once (G5)' })
  @Matches(/^[A-Za-z0-9._:-]{1,100}$/)
  awardId: string;
  @ApiProperty({ example: 100 }) @IsInt() @Min(1) @Max(1_000_000) points: number;
}

export class RedeemDto {
  @ApiProperty({ example: 'cny-5', description: 'one of GET /rewards/redemption-options' }) @IsString() @MaxLength(64) optionId: string;
  @ApiProperty({
    example: '0193a1f2-7c4e-7a10-9b1e-3f2d5c6a7b80',
    description: 'a published value-added listing (V2: never an advisory one)',
  })
  @IsString()
  @MaxLength(64)
  listingId: string;
}

export class PredictDto {
  @ApiProperty({ example: '000300.SH', description: 'one of the configured indexes (REWARDS_UPDOWN_INDEXES)' })
  @IsString()
  @MaxLength(32)
  indexCode: string;
  @ApiProperty({ enum: ['up', 'down'] }) @IsIn(['up', 'down']) direction: 'up' | 'down';
  @ApiPropertyOptional({ example: '2026-12-03', description: 'the Beijing trading date whose close decides; default today (Beijing)' })
  @IsOptional()
  @Matches(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/)
  tradingDay?: string;
}

// ---- responses ----

export class LotResponse {
  @ApiProperty({ description: 'the award id the lot came from' }) lotId: string;
  @ApiProperty() remaining: number;
  @ApiProperty() awardedAt: string;
  @ApiProperty() expiresAt: string;
}

export class HistoryEntryResponse {
  @ApiProperty() entryId: string;
  @ApiProperty({ enum: ['awarded', 'spent', 'expired'] }) kind: string;
  @ApiProperty({ description: 'positive for an award, negative for a spend or an expiry' }) points: number;
  @ApiProperty() at: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'the award’s source and expiry, the spend’s purpose and lots, or the expired lots',
  })
  detail: Record<string, unknown>;
}

export class NextExpiryResponse {
  @ApiProperty() at: string;
  @ApiProperty() points: number;
}

export class PointsResponse {
  @ApiProperty() investorId: string;
  @ApiProperty({ description: 'points not expired now; never negative (G5); no cash value' }) balance: number;
  @ApiProperty() asOf: string;
  @ApiProperty({ type: NextExpiryResponse, nullable: true }) nextExpiry: NextExpiryResponse | null;
  @ApiProperty({ type: [LotResponse], description: 'open lots, oldest first: spent and expired first in, first out' }) lots: LotResponse[];
  @ApiProperty({ type: [HistoryEntryResponse], description: 'newest first, the latest 200 entries' }) history: HistoryEntryResponse[];
}

export class QualifyingRuleResponse {
  @ApiProperty({ example: 'CHECKIN-LOGIN' }) ruleId: string;
  @ApiProperty({ type: [String], example: ['logged_in'] }) activityTypes: string[];
}

export class CheckInResponse {
  @ApiProperty({ example: '2026-12-03', description: 'the Beijing calendar date' }) day: string;
  @ApiProperty({ example: 3 }) streak: number;
  @ApiProperty() basePoints: number;
  @ApiProperty() bonusPoints: number;
  @ApiProperty() points: number;
  @ApiProperty({ type: QualifyingRuleResponse }) qualifyingRule: QualifyingRuleResponse;
}

export class RedemptionOptionResponse {
  @ApiProperty() optionId: string;
  @ApiProperty() points: number;
  @ApiProperty({ type: MoneyDto }) amountOff: MoneyDto;
  @ApiProperty() validDays: number;
}

export class RedemptionOptionsResponse {
  @ApiProperty({ type: [RedemptionOptionResponse] }) options: RedemptionOptionResponse[];
}

export class RedemptionResponse {
  @ApiProperty() redemptionId: string;
  @ApiProperty() optionId: string;
  @ApiProperty() listingId: string;
  @ApiProperty() pointsSpent: number;
  @ApiProperty({ description: 'a single-use coupon for this investor and this listing: pass it as couponCode to POST /subscriptions' })
  couponCode: string;
  @ApiProperty() amountOffMinor: number;
  @ApiProperty() currency: string;
  @ApiProperty() validUntil: string;
  @ApiProperty({ description: 'points left' }) balance: number;
}

export class BudgetPointsResponse {
  @ApiProperty() limit: number;
  @ApiProperty() spent: number;
  @ApiProperty() left: number;
}

export class BudgetMoneyResponse {
  @ApiProperty() limitMinor: number;
  @ApiProperty() spentMinor: number;
  @ApiProperty() leftMinor: number;
  @ApiProperty() currency: string;
}

export class BudgetResponse {
  @ApiProperty() campaignId: string;
  @ApiProperty({ type: BudgetPointsResponse }) points: BudgetPointsResponse;
  @ApiProperty({ type: BudgetMoneyResponse }) money: BudgetMoneyResponse;
}

export class CampaignAwardResponse {
  @ApiProperty() campaignId: string;
  @ApiProperty() awardId: string;
  @ApiProperty() investorId: string;
  @ApiProperty() points: number;
  @ApiProperty({ type: BudgetResponse }) budget: BudgetResponse;
}

export class PredictionResponse {
  @ApiProperty() roundId: string;
  @ApiProperty() indexCode: string;
  @ApiProperty() tradingDay: string;
  @ApiProperty({ enum: ['up', 'down'] }) direction: string;
  @ApiProperty() cutoffAt: string;
  @ApiProperty({ description: 'points for a correct prediction; no stake, no cash value (G5)' }) rewardPoints: number;
}

export class RoundPredictionsResponse {
  @ApiProperty() up: number;
  @ApiProperty() down: number;
}

export class RoundResponse {
  @ApiProperty() roundId: string;
  @ApiProperty() indexCode: string;
  @ApiProperty() tradingDay: string;
  @ApiProperty() cutoffAt: string;
  @ApiProperty() rewardPoints: number;
  @ApiProperty({ enum: ['open', 'settled'] }) status: string;
  @ApiProperty({ type: RoundPredictionsResponse }) predictions: RoundPredictionsResponse;
  @ApiProperty({ enum: ['up', 'down', 'flat'], nullable: true }) outcome: string | null;
  @ApiProperty() winners: number;
  @ApiProperty({ nullable: true }) settledAt: string | null;
}

export class SettlementResponse {
  @ApiProperty() roundId: string;
  @ApiProperty({ enum: ['open', 'settled'] }) status: string;
  @ApiProperty({ enum: ['up', 'down', 'flat'], nullable: true }) outcome: string | null;
  @ApiProperty() winners: number;
}
