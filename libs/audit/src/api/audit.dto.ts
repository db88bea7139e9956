import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Length, Max, Min } from 'class-validator';

/**
 * Why the evidence is needed (E5): recorded with the access. Optional here so that a missing reason is refused by the
 * rule itself (422 AUDIT.ACCESS_REASON_REQUIRED, rule E5) rather than as a malformed request.
 */
class WithReason {
  @ApiPropertyOptional({
    description: 'Why you need this evidence; required, and recorded with who you are and what you asked (E5)',
    example: 'complaint 2026-118',
  })
  @IsOptional()
  @IsString()
  @Length(0, 500)
  reason?: string;
}

export class LogSearchQuery extends WithReason {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 200) streamId?: string;
  @ApiPropertyOptional({ description: "the investor's own events and those of their engagements" })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  investorId?: string;
  @ApiPropertyOptional({ description: 'product or listing id' }) @IsOptional() @IsString() @Length(1, 200) productId?: string;
  @ApiPropertyOptional({ example: 'advisory.ContractSigned' }) @IsOptional() @IsString() @Length(1, 200) type?: string;
  @ApiPropertyOptional({ description: 'user id of the actor' }) @IsOptional() @IsString() @Length(1, 200) actor?: string;
  @ApiPropertyOptional({ description: 'recorded at or after (ISO-8601)' }) @IsOptional() @IsISO8601({ strict: true }) from?: string;
  @ApiPropertyOptional({ description: 'recorded at or before (ISO-8601)' }) @IsOptional() @IsISO8601({ strict: true }) to?: string;
  @ApiPropertyOptional({ description: 'nextCursor of the previous page' }) @IsOptional() @IsString() @Length(1, 200) cursor?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

export class ExportRequest extends WithReason {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 200) streamId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 200) investorId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 200) productId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 200) type?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 200) actor?: string;
  @ApiPropertyOptional() @IsOptional() @IsISO8601({ strict: true }) from?: string;
  @ApiPropertyOptional() @IsOptional() @IsISO8601({ strict: true }) to?: string;
}

export class TimelineQuery extends WithReason {
  @ApiPropertyOptional({ description: 'only events that occurred at or before this instant' })
  @IsOptional()
  @IsISO8601({ strict: true })
  until?: string;
}

export class SnapshotQuery extends WithReason {
  @ApiProperty({ description: 'the instant to reconstruct (ISO-8601)', example: '2026-03-01T00:00:00Z' })
  @IsISO8601({ strict: true })
  at!: string;
}

export class InclusionQuery extends WithReason {
  @ApiProperty() @IsUUID() eventId!: string;
  @ApiPropertyOptional({ description: 'checkpoint tree size; the latest checkpoint when omitted' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  treeSize?: number;
}

export class ConsistencyQuery {
  @ApiProperty({ description: 'tree size of the older checkpoint' }) @Type(() => Number) @IsInt() @Min(1) from!: number;
  @ApiPropertyOptional({ description: 'tree size of the newer checkpoint; the latest when omitted' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  to?: number;
}

export class CheckpointListQuery {
  @ApiPropertyOptional({ description: 'list checkpoints with a larger tree size', default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  after?: number;
  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
  @ApiPropertyOptional({ enum: ['json', 'notes'], description: 'notes: the signed notes only, one after another, as text' })
  @IsOptional()
  @IsIn(['json', 'notes'])
  format?: 'json' | 'notes';
}

export class VerificationRequest extends WithReason {}

export class VerificationListQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}

export class OwnTimelineQuery {
  @ApiPropertyOptional({ description: 'only events that occurred at or before this instant' })
  @IsOptional()
  @IsISO8601({ strict: true })
  until?: string;
}

export class OwnEvidenceQuery {
  @ApiPropertyOptional({ description: 'recorded at or after (ISO-8601)' }) @IsOptional() @IsISO8601({ strict: true }) from?: string;
  @ApiPropertyOptional({ description: 'recorded at or before (ISO-8601)' }) @IsOptional() @IsISO8601({ strict: true }) to?: string;
}
