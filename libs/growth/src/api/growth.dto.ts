import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { FUNNEL_STAGES, RFM_SEGMENTS } from '../audience';
import { APP_ACTIVITY_TYPES } from '../domain/activity';

export const MAX_INGEST_EVENTS = 500;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export class ActivityEventDto {
  @ApiProperty({ description: 'the client’s id of this event; a resend with the same id and instant is recorded once', maxLength: 100 })
  @IsString()
  @Matches(/^[\w.:-]{1,100}$/, { message: 'clientEventId: 1–100 letters, digits, _ . : -' })
  clientEventId: string;

  @ApiProperty({ enum: APP_ACTIVITY_TYPES })
  @IsIn(APP_ACTIVITY_TYPES)
  type: string;

  @ApiProperty({ description: 'when it happened on the device, ISO-8601 instant' })
  @IsISO8601({ strict: true })
  at: string;

  @ApiPropertyOptional({ description: 'the listing it concerns (funnel per product kind)', maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  listingId?: string;

  @ApiPropertyOptional({ description: 'the product kind it concerns, when no listing', maxLength: 60 })
  @IsOptional()
  @IsString()
  @MaxLength(60)
  productKind?: string;
}

export class ActivityBatchDto {
  @ApiProperty({ type: [ActivityEventDto], minItems: 1, maxItems: MAX_INGEST_EVENTS })
  @IsDefined()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_INGEST_EVENTS)
  @ValidateNested({ each: true })
  @Type(() => ActivityEventDto)
  events: ActivityEventDto[];
}

export class ActivityIngestResponse {
  @ApiProperty() received: number;
  @ApiProperty({ description: 'newly recorded' }) recorded: number;
  @ApiProperty({ description: 'already recorded (same client event id and instant)' }) duplicates: number;
  @ApiProperty({ description: 'dropped: no analytics consent (G7)' }) withoutConsent: number;
  @ApiProperty({ description: 'dropped: before the retention period or more than a day ahead (G7)' }) outsideRetention: number;
}

export class AnalyticsConsentDto {
  @ApiProperty({ description: 'true gives, false withdraws the consent to analytics (G7); a withdrawal erases the activity collected' })
  @IsDefined()
  @IsBoolean()
  given: boolean;
}

export class AnalyticsConsentResponse {
  @ApiProperty() investorId: string;
  @ApiProperty({ enum: ['given', 'withdrawn', 'never_asked'] }) analytics: string;
  @ApiProperty({ nullable: true, type: String }) since: string | null;
}

export class DefinitionDto {
  @ApiProperty({ description: 'first Beijing calendar day the definition applies (in the future)', example: '2027-01-01' })
  @Matches(DAY)
  effectiveFrom: string;

  @ApiProperty({ enum: APP_ACTIVITY_TYPES, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsIn(APP_ACTIVITY_TYPES, { each: true })
  activityTypes: string[];

  @ApiProperty({ maxLength: 200 })
  @IsString()
  @MaxLength(200)
  description: string;
}

export class DefinitionResponse {
  @ApiProperty() version: number;
  @ApiProperty() effectiveFrom: string;
  @ApiProperty({ type: [String] }) activityTypes: string[];
  @ApiProperty() description: string;
}

export class FormatQuery {
  @ApiPropertyOptional({ enum: ['json', 'csv'], description: 'csv: the same figures as text/csv' })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

export class DayQuery extends FormatQuery {
  @ApiPropertyOptional({ example: '2026-12-02', description: 'Beijing calendar day (default today)' })
  @IsOptional()
  @Matches(DAY)
  day?: string;
}

export class MonthQuery extends FormatQuery {
  @ApiPropertyOptional({ example: '2026-12-01', description: 'any day of the month (default this month)' })
  @IsOptional()
  @Matches(DAY)
  month?: string;
}

export class PeriodQuery extends FormatQuery {
  @ApiProperty({ example: '2026-11-01' })
  @Matches(DAY)
  from: string;

  @ApiProperty({ example: '2026-12-01' })
  @Matches(DAY)
  to: string;
}

export class FunnelQuery extends PeriodQuery {
  @ApiProperty({ example: 'course', maxLength: 60 })
  @IsString()
  @MaxLength(60)
  productKind: string;
}

export class CohortQuery extends FormatQuery {
  @ApiProperty({ example: '2026-11-02', description: 'first registration week (any day of it)' })
  @Matches(DAY)
  from: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 26, default: 8 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(26)
  weeks?: number;
}

export class DefinitionUsedDto extends DefinitionResponse {}

export class ActiveUsersResponse {
  @ApiProperty() day: string;
  @ApiProperty() week: string;
  @ApiProperty() month: string;
  @ApiProperty() dau: number;
  @ApiProperty() wau: number;
  @ApiProperty() mau: number;
  @ApiProperty({ type: [DefinitionUsedDto], description: 'the activity definitions these counts used' }) definitions: DefinitionUsedDto[];
}

export class MauResponse {
  @ApiProperty() month: string;
  @ApiProperty() lastMonth: string;
  @ApiProperty() mau: number;
  @ApiProperty() mauLastMonth: number;
  @ApiProperty({ description: 'active last month and this month' }) retained: number;
  @ApiProperty({ description: 'registered this month' }) new: number;
  @ApiProperty({ description: 'registered before, not active last month' }) returned: number;
  @ApiProperty({ description: 'active last month, not this month' }) churned: number;
  @ApiProperty({ description: 'mau = mauLastMonth − churned + new + returned' }) identityHolds: boolean;
  @ApiProperty({ type: [DefinitionUsedDto] }) definitions: DefinitionUsedDto[];
}

export class CohortRowDto {
  @ApiProperty() cohortWeek: string;
  @ApiProperty() registered: number;
  @ApiProperty({ type: [Number] }) activeByWeek: number[];
}

export class CohortResponse {
  @ApiProperty({ type: [CohortRowDto] }) cohorts: CohortRowDto[];
  @ApiProperty({ type: [DefinitionUsedDto] }) definitions: DefinitionUsedDto[];
}

export class FunnelStageDto {
  @ApiProperty({ enum: FUNNEL_STAGES }) stage: string;
  @ApiProperty() investors: number;
  @ApiProperty({ nullable: true, type: Number }) conversionFromPrevious: number | null;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'Median hours from the previous stage, among investors who reached both; to the precision stated in medianPrecision',
  })
  medianHoursFromPrevious: number | null;
}

export class FunnelResponse {
  @ApiProperty() productKind: string;
  @ApiProperty() from: string;
  @ApiProperty() to: string;
  @ApiProperty({ type: [FunnelStageDto] }) stages: FunnelStageDto[];
  @ApiProperty({
    description:
      'How precise the medians are: they come from a histogram kept by the ingest (gaps in minutes rounded to the nearest E24 preferred number, 24 a decade; whole minutes below 100 minutes), within 7.5% of the exact median',
  })
  medianPrecision: string;
}

export class RfmSegmentDto {
  @ApiProperty({ enum: RFM_SEGMENTS }) segment: string;
  @ApiProperty() investors: number;
  @ApiProperty() monetaryMinor: number;
}

export class RfmResponse {
  @ApiProperty({ nullable: true, type: String }) scoredAt: string | null;
  @ApiProperty({ nullable: true, type: Object }) thresholds: object | null;
  @ApiProperty({ type: [RfmSegmentDto] }) segments: RfmSegmentDto[];
}

export class RevenueRowDto {
  @ApiProperty() month: string;
  @ApiProperty({ enum: ['value_added', 'advisory'] }) family: string;
  @ApiProperty() kind: string;
  @ApiProperty() currency: string;
  @ApiProperty() amountMinor: number;
  @ApiProperty() payments: number;
}

export class RevenueResponse {
  @ApiProperty({ type: [RevenueRowDto] }) rows: RevenueRowDto[];
}

export class LessonsCompletedResponse {
  @ApiProperty({ type: [String] }) completedLessons: string[];
}

export class UnlockedListingDto {
  @ApiProperty() listingId: string;
  @ApiProperty() title: string;
  @ApiProperty() kind: string;
}

export class LearningPathLessonDto {
  @ApiProperty() lessonId: string;
  @ApiProperty() title: string;
  @ApiProperty() completed: boolean;
  @ApiProperty({ nullable: true, type: String }) completedAt: string | null;
  @ApiProperty({ type: [UnlockedListingDto] }) unlocks: UnlockedListingDto[];
}

export class LearningPathResponse {
  @ApiProperty() investorId: string;
  @ApiProperty({ type: [LearningPathLessonDto] }) lessons: LearningPathLessonDto[];
  @ApiProperty() completed: number;
  @ApiProperty({ nullable: true, type: String }) nextLessonId: string | null;
}
