import { Inject, Module, OnModuleInit } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Clock } from '@app/common';
import { APP_CONFIG, AppConfig, ConfigError, Metrics, persistentSecret, Readiness } from '@app/platform';
import { PaymentsController } from './api/payments.controller';
import { RefundPaymentHandler } from './application/commands/refund-payment/refund-payment.handler';
import { PaymentOutbox } from './application/payment-outbox';
import { PaymentsService } from './application/payments.service';
import { PaymentGateway } from './infrastructure/payment-gateway';
import { PayoutGateway, SandboxPayoutGateway } from './infrastructure/payout-gateway';
import { SandboxGateway } from './infrastructure/sandbox-gateway';
import { PAYMENTS_SECRET } from './infrastructure/tokens';
import { PaymentView } from './projections/payment-view.entity';
import { PaymentsOutboxProjection } from './projections/payments-outbox.projection';
import { PaymentsProjection } from './projections/payments.projection';

const rate = (config: AppConfig, name: string, fallback: number, problems: string[]): number => {
  const raw = config.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!(value >= 0 && value <= 1)) problems.push(`${name}=${JSON.stringify(raw)}: expected a probability from 0 to 1`);
  return value;
};

const sandboxFactory = (config: AppConfig, clock: Clock, secret: string): SandboxGateway => {
  const problems: string[] = [];
  const maxDelayMs = Number(config.env.PAYMENTS_SANDBOX_MAX_DELAY_MS ?? 40);
  if (!Number.isInteger(maxDelayMs) || maxDelayMs < 1) problems.push('PAYMENTS_SANDBOX_MAX_DELAY_MS: expected a positive integer');
  const duplicateRate = rate(config, 'PAYMENTS_SANDBOX_DUPLICATE_RATE', 0.2, problems);
  const reorderRate = rate(config, 'PAYMENTS_SANDBOX_REORDER_RATE', 0.2, problems);
  const lossRate = rate(config, 'PAYMENTS_SANDBOX_LOSS_RATE', 0, problems);
  if (problems.length) throw new ConfigError(problems);
  return new SandboxGateway({ secret, maxDelayMs, duplicateRate, reorderRate, lossRate }, clock);
};

@Module({
  imports: [CqrsModule, TypeOrmModule.forFeature([PaymentView])],
  controllers: [PaymentsController],
  providers: [
    {
      provide: PAYMENTS_SECRET,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => config.env.PAYMENTS_SANDBOX_SECRET || persistentSecret(config.dataDir, 'payments-sandbox-secret'),
    },
    { provide: PaymentGateway, inject: [APP_CONFIG, Clock, PAYMENTS_SECRET], useFactory: sandboxFactory },
    {
      provide: PayoutGateway,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        new SandboxPayoutGateway(new Set((config.env.PAYMENTS_SANDBOX_FAILING_PAYEES ?? '').split(',').filter(Boolean))),
    },
    PaymentsService,
    PaymentsProjection,
    PaymentsOutboxProjection,
    PaymentOutbox,
    RefundPaymentHandler,
  ],
  exports: [PaymentsService, PaymentGateway, PayoutGateway, PaymentOutbox],
})
export class PaymentsModule implements OnModuleInit {
  constructor(
    private readonly gateway: PaymentGateway,
    private readonly payments: PaymentsService,
    private readonly outbox: PaymentOutbox,
    private readonly metrics: Metrics,
    private readonly readiness: Readiness,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.metrics.outboxBacklog.from(async () => (await this.outbox.backlog()).count);
    // Not ready while money has waited too long to reach the provider (READINESS_MAX_OUTBOX_AGE_MS, default 5 min).
    const raw = this.config.env.READINESS_MAX_OUTBOX_AGE_MS;
    const maxAgeMs = raw === undefined || raw === '' ? 300_000 : Number(raw);
    if (!Number.isInteger(maxAgeMs) || maxAgeMs < 1)
      throw new ConfigError([`READINESS_MAX_OUTBOX_AGE_MS=${JSON.stringify(raw)}: expected a positive integer`]);
    this.readiness.register({
      name: 'payments-outbox',
      check: async () => {
        const backlog = await this.outbox.backlog();
        return { ready: backlog.oldestAgeMs < maxAgeMs, details: { ...backlog, maxAgeMs } };
      },
    });
    // The sandbox delivers in-process to the same verification and handling as the HTTP notification endpoint.
    if (this.gateway instanceof SandboxGateway)
      this.gateway.deliverTo((notification, signature) => this.payments.receive(notification, signature));
  }
}
