import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsISO8601,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { FUNNEL_STAGES, RFM_SEGMENTS } from '@app/growth';
import { CHANNELS, MAX_CONTROL_PERCENT } from '../domain';

const ID = /^[\w.:-]{1,100}$/;
const INDEX = /^\d{6}\.(SH|SZ)$/;

export class ConsentDto {
  @ApiProperty({ description: 'true: opt in to messages on this channel; false: opt out (G1)' })
  @IsBoolean()
  granted: boolean;
}

export class UnsubscribeDto {
  @ApiProperty({ description: 'the token of the one-tap unsubscribe link (from a message or the inbox)', maxLength: 600 })
  @IsString()
  @MaxLength(600)
  token: string;
}

export class PageQueryDto {
  @ApiPropertyOptional({ description: 'the nextCursor of the previous page', maxLength: 400 })
  @IsOptional()
  @IsString()
  @MaxLength(400)
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

export class IncentiveDto {
  @ApiProperty({ enum: ['points', 'coupon', 'discount'] })
  @IsIn(['points', 'coupon', 'discount'])
  kind: 'points' | 'coupon' | 'discount';

  @ApiProperty({ description: 'what is offered: a coupon code, a number of points…', maxLength: 100 })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  reference: string;
}

export class TemplateDto {
  @ApiProperty({ maxLength: 100 })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  title: string;

  @ApiProperty({ maxLength: 2000 })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  body: string;

  @ApiPropertyOptional({ description: 'the published product the message is about (G3, G4)', maxLength: 100 })
  @IsOptional()
  @Matches(ID)
  productId?: string;

  @ApiPropertyOptional({
    type: IncentiveDto,
    description: 'points, a coupon or a discount offered with the message: never with an advisory product (V2)',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => IncentiveDto)
  incentive?: IncentiveDto;
}

export class SegmentDto {
  @ApiProperty({ enum: ['all_investors', 'rfm', 'inactive', 'churned_last_month', 'funnel_stage', 'holders', 'group_members'] })
  @IsIn(['all_investors', 'rfm', 'inactive', 'churned_last_month', 'funnel_stage', 'holders', 'group_members'])
  kind: string;

  @ApiPropertyOptional({ description: 'group_members: the community group whose current members are the audience', format: 'uuid' })
  @IsOptional()
  @IsUUID()
  groupId?: string;

  @ApiPropertyOptional({ description: 'inactive: no activity in this many days', minimum: 1, maximum: 365 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(365)
  days?: number;

  @ApiPropertyOptional({ enum: RFM_SEGMENTS, description: 'rfm: the segment' })
  @IsOptional()
  @IsIn(RFM_SEGMENTS)
  segment?: string;

  @ApiPropertyOptional({ description: 'funnel_stage: the product kind', maxLength: 60 })
  @IsOptional()
  @IsString()
  @MaxLength(60)
  productKind?: string;

  @ApiPropertyOptional({ enum: FUNNEL_STAGES, description: 'funnel_stage: the stage reached and not passed' })
  @IsOptional()
  @IsIn(FUNNEL_STAGES)
  stage?: string;

  @ApiPropertyOptional({ description: 'holders: the listing held', maxLength: 100 })
  @IsOptional()
  @Matches(ID)
  listingId?: string;
}

export class ScheduleDto {
  @ApiProperty({
    enum: ['once', 'at', 'index_rise'],
    description: 'once: when run; at: at a time; index_rise: when the index rises by risePercent in a (Beijing) day',
  })
  @IsIn(['once', 'at', 'index_rise'])
  kind: 'once' | 'at' | 'index_rise';

  @ApiPropertyOptional({ description: 'at: ISO-8601 instant' })
  @IsOptional()
  @IsISO8601({ strict: true })
  at?: string;

  @ApiPropertyOptional({ description: 'index_rise: the index, e.g. 000001.SH' })
  @IsOptional()
  @Matches(INDEX)
  indexCode?: string;

  @ApiPropertyOptional({ description: 'index_rise: the day’s rise that triggers it, in percent', minimum: 0.01, maximum: 20 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 })
  @Min(0.01)
  @Max(20)
  risePercent?: number;
}

export class OutcomeDto {
  @ApiProperty({
    enum: ['returned', 'stage'],
    description: 'returned: any activity within `days`; stage: reaching a funnel stage within `days`',
  })
  @IsIn(['returned', 'stage'])
  kind: 'returned' | 'stage';

  @ApiProperty({ minimum: 1, maximum: 90 })
  @IsInt()
  @Min(1)
  @Max(90)
  days: number;

  @ApiPropertyOptional({ maxLength: 60 })
  @IsOptional()
  @IsString()
  @MaxLength(60)
  productKind?: string;

  @ApiPropertyOptional({ enum: FUNNEL_STAGES })
  @IsOptional()
  @IsIn(FUNNEL_STAGES)
  stage?: string;
}

export class CreateCampaignDto {
  @ApiProperty({ maxLength: 100 })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name: string;

  @ApiProperty({ type: SegmentDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => SegmentDto)
  segment: SegmentDto;

  @ApiProperty({ enum: CHANNELS })
  @IsIn(CHANNELS)
  channel: (typeof CHANNELS)[number];

  @ApiProperty({ type: TemplateDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => TemplateDto)
  template: TemplateDto;

  @ApiProperty({ type: ScheduleDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => ScheduleDto)
  schedule: ScheduleDto;

  @ApiProperty({ description: 'percent of the segment held out as the control group', minimum: 0, maximum: MAX_CONTROL_PERCENT })
  @IsInt()
  @Min(0)
  @Max(MAX_CONTROL_PERCENT)
  controlPercent: number;

  @ApiProperty({ type: OutcomeDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => OutcomeDto)
  outcome: OutcomeDto;
}

export class SendMessageDto extends TemplateDto {
  @ApiProperty({ maxLength: 100 })
  @Matches(ID)
  investorId: string;

  @ApiProperty({ enum: CHANNELS })
  @IsIn(CHANNELS)
  channel: (typeof CHANNELS)[number];
}

// Responses

export class ConsentResponse {
  @ApiProperty() investorId: string;
  @ApiProperty({ enum: CHANNELS }) channel: string;
  @ApiProperty() granted: boolean;
  @ApiProperty({ description: 'false when the consent already was as asked (nothing recorded)' }) changed: boolean;
}

export class ChannelConsentView {
  @ApiProperty({ enum: CHANNELS }) channel: string;
  @ApiProperty() granted: boolean;
  @ApiProperty({ nullable: true, type: String, description: 'settings or unsubscribe_link' }) via: string | null;
  @ApiProperty({ nullable: true, type: String }) updatedAt: string | null;
  @ApiProperty({ description: 'the token of this channel’s one-tap unsubscribe link' }) unsubscribeToken: string;
}

export class ConsentsResponse {
  @ApiProperty() investorId: string;
  @ApiProperty({ type: [ChannelConsentView] }) channels: ChannelConsentView[];
}

export class InboxItem {
  @ApiProperty() messageId: string;
  @ApiProperty() title: string;
  @ApiProperty() body: string;
  @ApiProperty({ nullable: true, type: String }) productId: string | null;
  @ApiProperty({ nullable: true, type: String }) campaignId: string | null;
  @ApiProperty() sentAt: string;
  @ApiProperty({ nullable: true, type: String }) openedAt: string | null;
}

export class InboxResponse {
  @ApiProperty({ type: [InboxItem] }) items: InboxItem[];
  @ApiProperty({ description: 'unsubscribes from in-app messages (POST /reach/unsubscribe)' }) unsubscribeToken: string;
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class OpenedResponse {
  @ApiProperty() messageId: string;
  @ApiProperty() openedAt: string;
}

export class CampaignRunResponse {
  @ApiProperty() campaignId: string;
  @ApiProperty({ enum: ['none', 'scheduled', 'running', 'completed'] }) status: string;
  @ApiProperty() batches: number;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'quiet hours (G2): when the fan-out carries on' }) deferredUntil?:
    string | null;
}

export class CampaignView {
  @ApiProperty() campaignId: string;
  @ApiProperty() name: string;
  @ApiProperty() status: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'segment, channel, template, schedule, control group and outcome',
  })
  spec: Record<string, unknown>;
  @ApiProperty() createdBy: string;
  @ApiProperty() createdAt: string;
  @ApiProperty({ nullable: true, type: String }) startedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) startReason: string | null;
  @ApiProperty({ nullable: true, type: 'object', additionalProperties: true }) trigger: Record<string, unknown> | null;
  @ApiProperty({ nullable: true, type: String }) completedAt: string | null;
  @ApiProperty() batches: number;
}

export const CAMPAIGN_STATUSES = ['scheduled', 'running', 'completed'] as const;

export class CampaignListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: CAMPAIGN_STATUSES, description: 'only the campaigns in this state' })
  @IsOptional()
  @IsIn(CAMPAIGN_STATUSES)
  status?: (typeof CAMPAIGN_STATUSES)[number];
}

export class CampaignListItem {
  @ApiProperty() campaignId: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: CAMPAIGN_STATUSES }) status: string;
  @ApiProperty({ nullable: true, type: String, enum: CHANNELS }) channel: string | null;
  @ApiProperty() createdBy: string;
  @ApiProperty() createdAt: string;
  @ApiProperty({ nullable: true, type: String }) startedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) completedAt: string | null;
  @ApiProperty({ description: 'messages sent so far' }) sent: number;
  @ApiProperty({ description: 'messages opened so far' }) opened: number;
}

export class CampaignListResponse {
  @ApiProperty({ type: [CampaignListItem] }) items: CampaignListItem[];
  @ApiProperty({ nullable: true, type: String, description: 'the cursor of the next (older) page' }) nextCursor: string | null;
}

export class ReachCounts {
  @ApiProperty({ description: 'recipients that went to the caps decision' }) attempted: number;
  @ApiProperty() sent: number;
  @ApiProperty({ description: 'withheld at the frequency caps (G2)' }) withheldAtCaps: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    description: 'not messaged, by refusal code (G1 consent, G3 suitability)',
  })
  refused: Record<string, number>;
  @ApiProperty() delivered: number;
  @ApiProperty() failed: number;
}

export class OutcomeGroup {
  @ApiProperty() investors: number;
  @ApiProperty() converted: number;
  @ApiProperty() rate: number;
}

export class OutcomeWindow {
  @ApiProperty() from: string;
  @ApiProperty() to: string;
  @ApiProperty({ description: 'whether the window has ended (the figures are final)' }) complete: boolean;
}

export class OutcomeReport {
  @ApiProperty({ enum: ['returned', 'stage'] }) kind: string;
  @ApiProperty() days: number;
  @ApiPropertyOptional() productKind?: string;
  @ApiPropertyOptional() stage?: string;
  @ApiProperty({ type: OutcomeWindow }) window: OutcomeWindow;
  @ApiProperty({ type: OutcomeGroup }) recipients: OutcomeGroup;
  @ApiProperty({ type: OutcomeGroup }) control: OutcomeGroup;
  @ApiProperty({ description: 'recipients’ rate minus the control group’s' }) lift: number;
}

export class CampaignReportResponse {
  @ApiProperty() campaignId: string;
  @ApiProperty() status: string;
  @ApiProperty({ type: ReachCounts }) reach: ReachCounts;
  @ApiProperty() opened: number;
  @ApiProperty() openRate: number;
  @ApiProperty({ type: OutcomeReport, nullable: true }) outcome: OutcomeReport | null;
}

export class SentMessageResponse {
  @ApiProperty() messageId: string;
  @ApiProperty() investorId: string;
  @ApiProperty({ enum: CHANNELS }) channel: string;
  @ApiProperty({ nullable: true, type: String }) productId: string | null;
  @ApiProperty() sentAt: string;
}

export class ProductMessageItem {
  @ApiProperty() messageId: string;
  @ApiProperty() investorId: string;
  @ApiProperty({ enum: CHANNELS }) channel: string;
  @ApiProperty({ nullable: true, type: String }) campaignId: string | null;
  @ApiProperty() title: string;
  @ApiProperty() body: string;
  @ApiProperty({ description: 'who sent it (the product manager, or system for a scheduled run)' }) sentBy: string;
  @ApiProperty() sentAt: string;
  @ApiProperty({ enum: ['sent', 'delivered', 'failed'] }) status: string;
  @ApiProperty({ nullable: true, type: String }) openedAt: string | null;
}

export class InvestorMessageItem {
  @ApiProperty() messageId: string;
  @ApiProperty({ enum: CHANNELS }) channel: string;
  @ApiProperty({ nullable: true, type: String }) campaignId: string | null;
  @ApiProperty({ nullable: true, type: String }) productId: string | null;
  @ApiProperty() title: string;
  @ApiProperty() body: string;
  @ApiProperty({ description: 'who sent it (the product manager, a host, or system for a scheduled run)' }) sentBy: string;
  @ApiProperty() sentAt: string;
  @ApiProperty({ enum: ['sent', 'delivered', 'failed'] }) status: string;
  @ApiProperty({ nullable: true, type: String }) deliveredAt: string | null;
  @ApiProperty({ nullable: true, type: String }) openedAt: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'the log event that sent it (reach.BatchSent or reach.MessageSent): prove it with GET /audit/proofs/inclusion?eventId=',
  })
  eventId: string | null;
}

export class InvestorMessagesResponse {
  @ApiProperty() investorId: string;
  @ApiProperty({ type: [InvestorMessageItem] }) items: InvestorMessageItem[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class InvestorMessagesQueryDto extends PageQueryDto {
  // Optional here so that a missing reason is refused by the rule (422 AUDIT.ACCESS_REASON_REQUIRED, E5), not as malformed.
  @ApiPropertyOptional({
    description: 'why you read this investor’s messages; required, and recorded with the access (E5)',
    maxLength: 500,
  })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class ProductMessagesResponse {
  @ApiProperty() productId: string;
  @ApiProperty({ type: [ProductMessageItem] }) items: ProductMessageItem[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
