import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, MaxLength, Min } from 'class-validator';

export class RefundDto {
  @ApiProperty({ example: 1500, description: 'integer minor units; all refunds of a payment together never exceed the captured amount' })
  @IsInt()
  @Min(1)
  amountMinor: number;
  @ApiProperty({ example: 'service outage on 2026-11-20' }) @IsString() @IsNotEmpty() @MaxLength(2000) reason: string;
}

export class GatewayNotificationDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) id: string;
  @ApiProperty({ enum: ['payment.authorised', 'payment.captured', 'payment.failed', 'refund.succeeded', 'refund.failed'] })
  @IsIn(['payment.authorised', 'payment.captured', 'payment.failed', 'refund.succeeded', 'refund.failed'])
  type: 'payment.authorised' | 'payment.captured' | 'payment.failed' | 'refund.succeeded' | 'refund.failed';
  @ApiProperty() @IsString() @IsNotEmpty() paymentId: string;
  @ApiProperty() @IsInt() @Min(0) amountMinor: number;
  @ApiProperty() @IsString() @IsNotEmpty() gatewayReference: string;
  @ApiPropertyOptional() @IsOptional() @IsString() refundId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() reason?: string;
  @ApiProperty({ description: 'unix milliseconds' }) @IsInt() signedAt: number;
}
