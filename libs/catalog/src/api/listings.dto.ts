import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateNested,
  IsUUID,
} from 'class-validator';
import { BILLING_PERIODS, LISTING_KINDS, RISK_LEVELS } from '../domain/listing-kinds';

export class PlanDto {
  @ApiProperty({ example: 'monthly' }) @IsString() @IsNotEmpty() @MaxLength(64) planId: string;
  @ApiProperty({ example: '月度' }) @IsString() @IsNotEmpty() @MaxLength(200) name: string;
  @ApiProperty({ example: 3000, description: 'integer minor units (fen)' }) @IsInt() @Min(0) priceMinor: number;
  @ApiProperty({ example: 'CNY' }) @IsString() currency: string;
  @ApiProperty({ enum: BILLING_PERIODS }) @IsIn(BILLING_PERIODS) billingPeriod: (typeof BILLING_PERIODS)[number];
  @ApiPropertyOptional({ example: 7 }) @IsOptional() @IsInt() @Min(1) @Max(90) trialDays?: number;
}

export class ListingContentDto {
  @ApiProperty({ enum: LISTING_KINDS }) @IsIn(LISTING_KINDS) kind: (typeof LISTING_KINDS)[number];
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) title: string;
  @ApiProperty() @IsString() @MaxLength(20000) description: string;
  @ApiProperty({ type: [PlanDto] }) @IsArray() @ValidateNested({ each: true }) @Type(() => PlanDto) @ArrayMaxSize(20) plans: PlanDto[];
  @ApiPropertyOptional({
    description:
      'advisory listings (L3): riskLevel R1–R5, riskFactors {liquidity, principalLoss, complexity, leverage: 1–5}, horizon, varieties, ' +
      'advisors [{advisorId, name, sacRegistrationCode}], feeBasis, riskDisclosureVersion, contractVersion',
  })
  @IsOptional()
  @IsObject()
  advisory?: Record<string, unknown>;
  @ApiPropertyOptional({
    type: [String],
    description: 'education before products (G8): ids of course listings to complete before buying this one',
    maxItems: 20,
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsUUID('all', { each: true })
  requiredLessons?: string[];
}

export class ApproveListingDto {
  @ApiProperty({ enum: ['value_added', 'advisory'], description: 'the family the reviewer classifies the listing in by its function (V1)' })
  @IsIn(['value_added', 'advisory'])
  confirmedFamily: 'value_added' | 'advisory';
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

export class ReasonDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(2000) reason: string;
}

export class RiskRatingChangeDto {
  @ApiProperty({ enum: RISK_LEVELS }) @IsIn(RISK_LEVELS) riskLevel: (typeof RISK_LEVELS)[number];
  @ApiProperty({ example: { liquidity: 3, principalLoss: 4, complexity: 3, leverage: 1 } }) @IsObject() riskFactors: Record<string, number>;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(2000) reason: string;
}

export class BrowseQueryDto {
  @ApiPropertyOptional({ enum: LISTING_KINDS }) @IsOptional() @IsIn(LISTING_KINDS) kind?: string;
  @ApiPropertyOptional({ enum: BILLING_PERIODS }) @IsOptional() @IsIn(BILLING_PERIODS) billingPeriod?: string;
  @ApiPropertyOptional({ description: 'text search in title and description' }) @IsOptional() @IsString() @MaxLength(100) q?: string;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(0) maxPriceMinor?: number;
  @ApiPropertyOptional({ default: 20 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) limit?: number;
  @ApiPropertyOptional({ default: 0 }) @IsOptional() @Type(() => Number) @IsInt() @Min(0) offset?: number;
}

export class ManageQueryDto {
  @ApiPropertyOptional({ enum: ['draft', 'submitted', 'approved', 'rejected', 'published', 'retired'] })
  @IsOptional()
  @IsIn(['draft', 'submitted', 'approved', 'rejected', 'published', 'retired'])
  status?: string;
  @ApiPropertyOptional({ enum: ['value_added', 'advisory'] }) @IsOptional() @IsIn(['value_added', 'advisory']) family?: string;
  @ApiPropertyOptional({ default: 20 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) limit?: number;
  @ApiPropertyOptional({ default: 0 }) @IsOptional() @Type(() => Number) @IsInt() @Min(0) offset?: number;
}
