import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDateString,
  IsDefined,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  GROUP_ROLES,
  GROUP_TOPICS,
  GroupRole,
  GroupTopic,
  HOST_KINDS,
  HostKind,
  JOINING_RULES,
  JoiningRuleKind,
  MAX_POST_LENGTH,
  MODERATION_ACTIONS,
  ModerationAction,
} from '../domain';

// ---- requests ----

export class WelcomeDto {
  @ApiProperty({ example: '欢迎加入定投学习营：这里只聊方法，不荐股。' }) @IsString() @IsNotEmpty() @MaxLength(2000) introduction: string;
  @ApiProperty({ example: '完成一次风险测评，并在群里说说你的定投计划' }) @IsString() @IsNotEmpty() @MaxLength(500) firstTask: string;
}

export class CreateGroupDto {
  @ApiProperty({ example: '指数基金定投学习营' }) @IsString() @IsNotEmpty() @MaxLength(100) name: string;
  @ApiProperty({
    enum: GROUP_TOPICS,
    description: "a course's cohort, a product's subscribers, a learning path, or an open interest group",
  })
  @IsIn(GROUP_TOPICS)
  topic: GroupTopic;
  @ApiPropertyOptional({ description: 'the course, product or learning path the group is about' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  topicRef?: string;
  @ApiProperty({ enum: JOINING_RULES }) @IsIn(JOINING_RULES) joining: JoiningRuleKind;
  @ApiPropertyOptional({ description: 'joining = entitlement: members hold an entitlement from this value-added listing' })
  @ValidateIf((o: CreateGroupDto) => o.joining === 'entitlement')
  @IsUUID()
  entitlementListingId?: string;
  @ApiProperty({ type: WelcomeDto }) @IsDefined() @ValidateNested() @Type(() => WelcomeDto) welcome: WelcomeDto;
}

export class UserRefDto {
  @ApiProperty() @IsUUID() userId: string;
}

export class AssignRoleDto {
  @ApiProperty({ enum: GROUP_ROLES.filter((r) => r !== 'owner') }) @IsIn(['host', 'moderator', 'member']) role: GroupRole;
}

export class ModerateDto {
  @ApiProperty({ enum: MODERATION_ACTIONS }) @IsIn(MODERATION_ACTIONS) action: ModerationAction;
  @ApiProperty({ example: '发布非法荐股内容' }) @IsString() @IsNotEmpty() @MaxLength(500) reason: string;
  @ApiPropertyOptional({ description: 'mute: minutes (default 60, at most 90 days)', example: 60 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(129_600)
  minutes?: number;
}

export class PostDto {
  @ApiProperty({ example: '大家定投都选什么指数？', maxLength: MAX_POST_LENGTH })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_POST_LENGTH)
  body: string;
  @ApiPropertyOptional({ description: 'reply to this top-level post' }) @IsOptional() @IsUUID() parentId?: string;
}

export class AdvicePostDto {
  @ApiProperty({ description: 'the advisory product the advice is for (the author is one of its advisors)' }) @IsUUID() productId: string;
  @ApiProperty({ example: '600519：基于研报的估值区间…', maxLength: MAX_POST_LENGTH })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_POST_LENGTH)
  body: string;
  @ApiProperty({ enum: ['research_report', 'model'] }) @IsIn(['research_report', 'model']) basisKind: 'research_report' | 'model';
  @ApiPropertyOptional({ example: '中信证券研究部' })
  @ValidateIf((o: AdvicePostDto) => o.basisKind === 'research_report')
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  issuer?: string;
  @ApiPropertyOptional({ example: '2026-02-20' })
  @ValidateIf((o: AdvicePostDto) => o.basisKind === 'research_report')
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  reportDate?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) title?: string;
  @ApiPropertyOptional({ example: 'valuation-model 3.2' })
  @ValidateIf((o: AdvicePostDto) => o.basisKind === 'model')
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  modelVersion?: string;
}

export class ReasonBodyDto {
  @ApiProperty({ example: '疑似荐股' }) @IsString() @IsNotEmpty() @MaxLength(500) reason: string;
}

export class TipRefundDto extends ReasonBodyDto {
  @ApiPropertyOptional({
    description: 'the part of the tip to give back, in minor units; without it, all that is still refundable (E1)',
    minimum: 1,
    example: 200,
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  amountMinor?: number;
}

export class FeedQueryDto {
  @ApiPropertyOptional({ description: 'nextCursor of the previous page' }) @IsOptional() @IsUUID() cursor?: string;
  @ApiPropertyOptional({ default: 20, minimum: 1, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}

export class EvidenceQueryDto {
  @ApiPropertyOptional({ enum: ['refused', 'hidden', 'reported'] }) @IsOptional() @IsIn(['refused', 'hidden', 'reported']) status?:
    'refused' | 'hidden' | 'reported';
  @ApiPropertyOptional({ default: 100, minimum: 1, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

export class RegisterHostDto {
  @ApiProperty({ enum: HOST_KINDS, description: 'kol, educator, or advisor (a registered advisor, with the SAC code)' })
  @IsIn(HOST_KINDS)
  kind: HostKind;
  @ApiProperty({ example: '老王聊基金' }) @IsString() @IsNotEmpty() @MaxLength(60) displayName: string;
  @ApiPropertyOptional({ example: '十年基金从业，专注投资者教育' }) @IsOptional() @IsString() @MaxLength(1000) bio?: string;
  @ApiPropertyOptional({ example: 'S0260611080001' }) @IsOptional() @IsString() @MaxLength(20) sacRegistrationCode?: string;
}

export class ScheduleSessionDto {
  @ApiProperty({ example: '定投入门：如何挑选指数' }) @IsString() @IsNotEmpty() @MaxLength(200) title: string;
  @ApiProperty() @IsDateString() startsAt: string;
  @ApiProperty() @IsDateString() endsAt: string;
  @ApiPropertyOptional({ description: 'the value-added listing that sells the replay; without it members watch the replay' })
  @IsOptional()
  @IsUUID()
  replayListingId?: string;
}

export class TipDto {
  @ApiProperty({ enum: ['live_session', 'post'] }) @IsIn(['live_session', 'post']) targetKind: 'live_session' | 'post';
  @ApiProperty() @IsUUID() targetId: string;
  @ApiProperty({ example: 500 }) @IsInt() @Min(1) amountMinor: number;
  @ApiProperty({ example: 'CNY' }) @IsString() @MaxLength(3) currency: string;
  @ApiPropertyOptional({ example: '讲得清楚，谢谢老师' }) @IsOptional() @IsString() @MaxLength(200) message?: string;
  @ApiPropertyOptional({ example: 'sandbox_ok' }) @IsOptional() @IsString() @MaxLength(64) paymentMethod?: string;
}

// ---- responses ----

export class WelcomeResponse {
  @ApiProperty() introduction: string;
  @ApiProperty() firstTask: string;
}

export class GroupResponse {
  @ApiProperty() groupId: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: GROUP_TOPICS }) topic: string;
  @ApiProperty({ nullable: true, type: String }) topicRef: string | null;
  @ApiProperty({ description: '{ kind: open | invitation | entitlement, listingId? }', type: Object }) joining: Record<string, unknown>;
  @ApiProperty({ type: WelcomeResponse }) welcome: WelcomeResponse;
  @ApiProperty() ownerId: string;
  @ApiPropertyOptional() memberCount?: number;
  @ApiPropertyOptional() postCount?: number;
  @ApiPropertyOptional() createdAt?: string;
}

export class MembershipResponse {
  @ApiProperty() groupId: string;
  @ApiProperty() userId: string;
  @ApiPropertyOptional({ enum: GROUP_ROLES, nullable: true, type: String }) role?: string | null;
  @ApiPropertyOptional({ description: 'none, invited, member, left, banned' }) status?: string;
  @ApiPropertyOptional({ type: WelcomeResponse, description: 'for a newcomer: the pinned introduction and the first task' })
  welcome?: WelcomeResponse;
}

export class ModerationResponse {
  @ApiProperty() groupId: string;
  @ApiProperty() userId: string;
  @ApiProperty({ enum: MODERATION_ACTIONS }) action: string;
  @ApiProperty() status: string;
  @ApiProperty({ description: 'offences so far; from COMMUNITY_REPEAT_OFFENDER_AT the member is throttled' }) offences: number;
  @ApiProperty({ nullable: true, type: String }) mutedUntil: string | null;
  @ApiProperty() recorded: boolean;
}

export class PostPublishedResponse {
  @ApiProperty() postId: string;
  @ApiProperty() groupId: string;
  @ApiProperty({ nullable: true, type: String }) parentId: string | null;
  @ApiProperty({ enum: ['published'] }) status: string;
  @ApiProperty({ enum: ['discussion', 'advice'] }) kind: string;
  @ApiProperty({ nullable: true, type: String, description: 'the advice record (A9) behind an advice post' }) adviceId: string | null;
}

export class PostView {
  @ApiProperty() postId: string;
  @ApiProperty({ nullable: true, type: String }) parentId: string | null;
  @ApiProperty() authorId: string;
  @ApiProperty() body: string;
  @ApiProperty({ enum: ['discussion', 'advice'] }) kind: string;
  @ApiProperty({ nullable: true, type: String }) adviceId: string | null;
  @ApiProperty({ nullable: true, type: String }) productId: string | null;
  @ApiProperty() replyCount: number;
  @ApiProperty() createdAt: string;
}

export class FeedResponse {
  @ApiProperty({ type: [PostView] }) items: PostView[];
  @ApiProperty({ nullable: true, type: String, description: 'pass as cursor for the next page; null on the last page' }) nextCursor:
    string | null;
}

export class ReportResponse {
  @ApiProperty() postId: string;
  @ApiProperty({ nullable: true, type: String, description: 'null when this member had already reported the post' }) reportId:
    string | null;
  @ApiProperty() status: string;
}

export class PostStatusResponse {
  @ApiProperty() postId: string;
  @ApiProperty({ enum: ['visible', 'hidden'] }) status: string;
}

export class QueueItem {
  @ApiProperty() reportId: string;
  @ApiProperty() postId: string;
  @ApiProperty() groupId: string;
  @ApiProperty() authorId: string;
  @ApiProperty() reporterId: string;
  @ApiProperty() reason: string;
  @ApiProperty() body: string;
  @ApiProperty() postStatus: string;
  @ApiProperty() reports: number;
  @ApiProperty() reportedAt: string;
}

export class QueueResponse {
  @ApiProperty({ type: [QueueItem] }) items: QueueItem[];
}

export class RefusalResponse {
  @ApiProperty({ example: 'COMMUNITY.UNLICENSED_ADVICE' }) code: string;
  @ApiPropertyOptional({ description: 'the rule that refused it (V1, V3, A9)' }) rule?: string;
  @ApiProperty() message: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'what the guard found' }) details?: Record<
    string,
    unknown
  >;
}

export class EvidenceItem {
  @ApiProperty() postId: string;
  @ApiProperty() groupId: string;
  @ApiProperty() authorId: string;
  @ApiProperty() body: string;
  @ApiProperty({ enum: ['visible', 'refused', 'hidden'] }) status: string;
  @ApiProperty({ nullable: true, type: () => RefusalResponse, description: 'why a refused post was refused' })
  refusal: RefusalResponse | null;
  @ApiProperty() reports: number;
  @ApiProperty({ nullable: true, type: String }) hiddenReason: string | null;
  @ApiProperty() createdAt: string;
}

export class EvidenceResponse {
  @ApiProperty({ type: [EvidenceItem] }) items: EvidenceItem[];
}

export class ActionItem {
  @ApiProperty() userId: string;
  @ApiProperty({ enum: ['warn', 'mute', 'ban', 'hide'] }) action: string;
  @ApiProperty() reason: string;
  @ApiProperty({ nullable: true, type: String }) postId: string | null;
  @ApiProperty() moderatorId: string;
  @ApiProperty() at: string;
}

export class ActionsResponse {
  @ApiProperty({ type: [ActionItem] }) items: ActionItem[];
}

export class HostResponse {
  @ApiProperty() hostId: string;
  @ApiProperty({ enum: HOST_KINDS }) kind: string;
  @ApiProperty() displayName: string;
  @ApiProperty() bio: string;
  @ApiProperty({ nullable: true, type: String }) sacRegistrationCode: string | null;
}

export class LedgerLine {
  @ApiProperty({ enum: ['tip_credit', 'tip_refund', 'tip_chargeback', 'payout', 'payout_returned'] }) kind: string;
  @ApiProperty() refId: string;
  @ApiProperty({ description: 'signed, minor units' }) amountMinor: number;
  @ApiProperty({ nullable: true, type: Number }) grossMinor: number | null;
  @ApiProperty({ nullable: true, type: Number }) hostBps: number | null;
  @ApiProperty() currency: string;
  @ApiProperty() at: string;
}

export class StatementLineView {
  @ApiProperty() tipId: string;
  @ApiProperty({ enum: ['credit', 'reversal'] }) kind: string;
  @ApiProperty() amountMinor: number;
  @ApiProperty() at: string;
}

export class PayoutView {
  @ApiProperty() payoutId: string;
  @ApiProperty() amountMinor: number;
  @ApiProperty() currency: string;
  @ApiProperty({ nullable: true, type: String }) periodFrom: string | null;
  @ApiProperty() periodTo: string;
  @ApiProperty({ type: [StatementLineView] }) lines: StatementLineView[];
  @ApiProperty({ enum: ['requested', 'paid', 'failed'] }) status: string;
  @ApiProperty({ nullable: true, type: String }) reference: string | null;
  @ApiProperty({ nullable: true, type: String }) reason: string | null;
  @ApiProperty() requestedAt: string;
}

export class LedgerResponse {
  @ApiProperty() hostId: string;
  @ApiProperty() currency: string;
  @ApiProperty({ description: 'earned and not yet paid out (negative after a reversal of a tip already paid out)' }) balanceMinor: number;
  @ApiProperty() earnedMinor: number;
  @ApiProperty() reversedMinor: number;
  @ApiProperty() paidOutMinor: number;
  @ApiProperty() inFlightMinor: number;
  @ApiProperty({ type: [LedgerLine] }) lines: LedgerLine[];
  @ApiProperty({ type: [PayoutView] }) payouts: PayoutView[];
}

export class PayoutResponse {
  @ApiProperty() payoutId: string;
  @ApiPropertyOptional() hostId?: string;
  @ApiPropertyOptional() amountMinor?: number;
  @ApiPropertyOptional() currency?: string;
  @ApiPropertyOptional({ nullable: true, type: String }) periodFrom?: string | null;
  @ApiPropertyOptional() periodTo?: string;
  @ApiPropertyOptional({ type: [StatementLineView] }) lines?: StatementLineView[];
  @ApiProperty({ enum: ['requested', 'paid', 'failed'] }) status: string;
  @ApiPropertyOptional() reference?: string;
  @ApiPropertyOptional() reason?: string;
}

export class PayoutRunItem {
  @ApiPropertyOptional() payoutId?: string;
  @ApiPropertyOptional() hostId?: string;
  @ApiProperty() status: string;
  @ApiPropertyOptional() code?: string;
}

export class PayoutRunResponse {
  @ApiProperty({ type: [PayoutRunItem] }) payouts: PayoutRunItem[];
}

export class SessionResponse {
  @ApiProperty() sessionId: string;
  @ApiProperty() groupId: string;
  @ApiProperty() hostId: string;
  @ApiProperty() title: string;
  @ApiProperty() startsAt: string;
  @ApiProperty() endsAt: string;
  @ApiProperty({ nullable: true, type: String }) replayListingId: string | null;
  @ApiProperty({ enum: ['scheduled', 'live', 'ended'] }) status: string;
  @ApiPropertyOptional() attendance?: number;
  @ApiPropertyOptional() tipsMinor?: number;
}

export class SessionActionResponse {
  @ApiProperty() sessionId: string;
  @ApiProperty({ enum: ['scheduled', 'live', 'ended'] }) status: string;
  @ApiProperty() attendance: number;
}

export class ReplayResponse {
  @ApiProperty() sessionId: string;
  @ApiProperty() available: boolean;
  @ApiProperty({ nullable: true, type: String }) replayListingId: string | null;
  @ApiProperty() url: string;
}

export class TipTargetView {
  @ApiProperty({ enum: ['live_session', 'post'] }) kind: string;
  @ApiProperty() id: string;
}

export class TipResponse {
  @ApiProperty() tipId: string;
  @ApiProperty() paymentId: string;
  @ApiProperty() hostId: string;
  @ApiProperty({ type: TipTargetView }) target: TipTargetView;
  @ApiProperty() amountMinor: number;
  @ApiProperty() currency: string;
  @ApiProperty({ enum: ['sent'] }) status: string;
}

export class TipRefundResponse {
  @ApiProperty() tipId: string;
  @ApiProperty() paymentId: string;
  @ApiProperty() refundId: string;
  @ApiProperty() amountMinor: number;
  @ApiProperty() currency: string;
  @ApiProperty({ enum: ['refund_requested'] }) status: string;
}

export class TipReversalResponse {
  @ApiProperty() tipId: string;
  @ApiProperty({ enum: ['reversed'] }) status: string;
  @ApiProperty({ enum: ['chargeback'] }) cause: string;
}

export class HostCampaignDto {
  @ApiProperty({
    enum: ['in_app', 'push', 'sms', 'wechat'],
    description: 'the channel; members without consent to it are not messaged (G1)',
  })
  @IsIn(['in_app', 'push', 'sms', 'wechat'])
  channel: 'in_app' | 'push' | 'sms' | 'wechat';
  @ApiProperty({ example: '本周直播预告', maxLength: 100 }) @IsString() @IsNotEmpty() @MaxLength(100) title: string;
  @ApiProperty({ example: '周四晚八点，我们聊聊指数基金定投。投资有风险。', maxLength: 1000 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  body: string;
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'a published product the message is about; an advisory product reaches only members whose matching opinion allows it (G3)',
  })
  @IsOptional()
  @IsUUID()
  productId?: string;
}

export class HostCampaignResponse {
  @ApiProperty({ format: 'uuid', description: 'the reach campaign (its report: GET /reach/campaigns/{campaignId}/report)' })
  campaignId: string;
  @ApiProperty({ format: 'uuid' }) groupId: string;
  @ApiProperty({ enum: ['none', 'scheduled', 'running', 'completed'] }) status: string;
  @ApiProperty() batches: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'quiet hours deferred the fan-out until then (G2)' })
  deferredUntil: string | null;
}
