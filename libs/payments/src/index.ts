export * from './domain/payment';
export * from './payments.module';
export * from './application/payments.service';
export * from './infrastructure/idempotency.service';
export * from './infrastructure/payment-gateway';
export * from './infrastructure/sandbox-gateway';
export * from './api/idempotent-response';
export * from './projections/payment-view.entity';
