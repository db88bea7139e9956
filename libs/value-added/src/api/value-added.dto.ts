import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsDateString,
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
} from 'class-validator';

export class SubscribeDto {
  @ApiProperty() @IsUUID() listingId: string;
  @ApiProperty({ example: 'monthly' }) @IsString() @IsNotEmpty() @MaxLength(64) planId: string;
  @ApiPropertyOptional({ example: 'sandbox_ok', description: 'payment method token; sandbox_decline makes the sandbox decline' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  paymentMethod?: string;
  @ApiPropertyOptional({ description: 'value-added products only (V2)' }) @IsOptional() @IsString() @MaxLength(40) couponCode?: string;
}

export class CancelDto {
  @ApiProperty({ enum: ['at_period_end', 'immediately'] }) @IsIn(['at_period_end', 'immediately']) mode: 'at_period_end' | 'immediately';
  @ApiPropertyOptional({ enum: ['none', 'prorated', 'full'], description: 'required when mode is immediately' })
  @ValidateIf((body: CancelDto) => body.mode === 'immediately')
  @IsIn(['none', 'prorated', 'full'])
  refundMode?: 'none' | 'prorated' | 'full';
}

export class TipDto {
  @ApiProperty({ description: 'a published live_stream_tipping_target listing' }) @IsUUID() targetListingId: string;
  @ApiProperty({ example: 500 }) @IsInt() @Min(1) amountMinor: number;
  @ApiProperty({ example: 'CNY' }) @IsString() currency: string;
  @ApiPropertyOptional({ example: '讲得好' }) @IsOptional() @IsString() @MaxLength(200) message?: string;
  @ApiPropertyOptional({ example: 'sandbox_ok' }) @IsOptional() @IsString() @MaxLength(64) paymentMethod?: string;
}

export class IssueCouponDto {
  @ApiProperty({ example: 'WELCOME20' }) @Matches(/^[A-Za-z0-9_-]{3,40}$/) code: string;
  @ApiPropertyOptional({ example: 20 }) @IsOptional() @IsInt() @Min(1) @Max(100) percentOff?: number;
  @ApiPropertyOptional({ example: 500 }) @IsOptional() @IsInt() @Min(1) amountOffMinor?: number;
  @ApiProperty({ example: 'CNY' }) @IsString() currency: string;
  @ApiProperty() @IsDateString() validFrom: string;
  @ApiProperty() @IsDateString() validUntil: string;
  @ApiProperty({ example: 1000 }) @IsInt() @Min(1) maxRedemptions: number;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsUUID('all', { each: true }) @ArrayMaxSize(100) listingIds?: string[];
  @ApiProperty({ example: '新用户首月八折' }) @IsString() @MaxLength(500) description: string;
}

export class QuoteQueryDto {
  @ApiProperty() @IsUUID() listingId: string;
  @ApiProperty() @IsString() @IsNotEmpty() planId: string;
}

export class AtQueryDto {
  @ApiPropertyOptional({ description: 'ISO-8601 instant; default now' }) @IsOptional() @IsDateString() at?: string;
}

export class Level2QueryDto {
  @ApiPropertyOptional({ default: 10 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(10) depth?: number;
}
