import { ApiProperty } from '@nestjs/swagger';

export class RefundEntryResponse {
  @ApiProperty() refundId: string;
  @ApiProperty({ description: 'integer minor units' }) amountMinor: number;
  @ApiProperty() reason: string;
  @ApiProperty() by: string;
  @ApiProperty({ example: 'requested' }) status: string;
  @ApiProperty({ format: 'date-time' }) at: string;
}

export class PaymentResponse {
  @ApiProperty({ format: 'uuid' }) paymentId: string;
  @ApiProperty() payerId: string;
  @ApiProperty({ example: 'company', description: 'always the company account (A7)' }) payee: string;
  @ApiProperty({ description: 'integer minor units' }) amountMinor: number;
  @ApiProperty({ example: 'CNY' }) currency: string;
  @ApiProperty({ example: 'value_added_subscription' }) purpose: string;
  @ApiProperty({ description: 'what the payment is for (a subscription, engagement or tip id)' }) referenceId: string;
  @ApiProperty({ type: String, nullable: true }) method: string | null;
  @ApiProperty({ example: 'captured' }) status: string;
  @ApiProperty() capturedMinor: number;
  @ApiProperty() refundedMinor: number;
  @ApiProperty({ type: [RefundEntryResponse] }) refunds: RefundEntryResponse[];
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class RefundAcceptedResponse {
  @ApiProperty({ format: 'uuid' }) paymentId: string;
  @ApiProperty() refundId: string;
  @ApiProperty() amountMinor: number;
  @ApiProperty({ example: 'requested', description: 'the provider confirms it asynchronously' }) status: string;
}
