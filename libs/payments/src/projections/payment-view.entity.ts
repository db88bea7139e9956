import { Column, Entity, PrimaryColumn } from 'typeorm';

const bigintAsNumber = { to: (value: number) => value, from: (value: string) => Number(value) };

@Entity('payments_view')
export class PaymentView {
  @PrimaryColumn('uuid', { name: 'payment_id' }) paymentId: string;
  @Column('text', { name: 'payer_id' }) payerId: string;
  @Column('text') payee: string;
  @Column('bigint', { name: 'amount_minor', transformer: bigintAsNumber }) amountMinor: number;
  @Column('text') currency: string;
  @Column('text') purpose: string;
  @Column('text', { name: 'reference_id' }) referenceId: string;
  @Column('text', { nullable: true }) method: string | null;
  @Column('text') status: string;
  @Column('bigint', { name: 'captured_minor', transformer: bigintAsNumber }) capturedMinor: number;
  @Column('bigint', { name: 'refunded_minor', transformer: bigintAsNumber }) refundedMinor: number;
  @Column('jsonb') refunds: { refundId: string; amountMinor: number; reason: string; by: string; status: string; at: string }[];
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}
