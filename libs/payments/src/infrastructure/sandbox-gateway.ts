/** The sandbox payment provider: payments, refunds and signed notifications without a real provider. */
import { randomUUID } from 'node:crypto';
import { Clock } from '@app/common';
import { GatewayNotification, PaymentGateway, ProviderPaymentStatus, ProviderRefundStatus } from './payment-gateway';
import { signNotification } from './notification-signature';

export interface SandboxOptions {
  readonly secret: string;
  /** Largest delay before a notification is delivered. */
  readonly maxDelayMs: number;
  /** Probability that a notification is delivered twice. */
  readonly duplicateRate: number;
  /** Probability that a payment's capture is delivered before its authorisation. */
  readonly reorderRate: number;
  /** Probability that a notification is never delivered (the outcome is still there when asked). Default 0. */
  readonly lossRate?: number;
}

export type NotificationSink = (notification: GatewayNotification, signature: string) => Promise<void>;

/**
 * A sandbox provider that behaves like a real one: it answers later, signs what it sends, sometimes sends a
 * notification twice or out of order, and retries delivery with backoff when the receiver fails. Method
 * `sandbox_decline` fails the payment, `sandbox_card_expires_<YYYY-MM-DD>` fails once the clock reaches that date (a
 * card that lapses between the first charge and a renewal); anything else succeeds. Asked for a payment's status it
 * answers the outcome it decided, as a provider's status API would; it keeps what it knows in memory only, so after a
 * restart it answers `unknown` and a charge started again is charged (a real provider deduplicates by payment id).
 */
export class SandboxGateway extends PaymentGateway {
  private sink: NotificationSink | undefined;
  private readonly payments = new Map<string, ProviderPaymentStatus>();
  private readonly refunds = new Map<string, ProviderRefundStatus>();
  private inFlight = 0;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly options: SandboxOptions,
    private readonly clock: Clock,
  ) {
    super();
  }

  deliverTo(sink: NotificationSink): void {
    this.sink = sink;
  }

  charge(request: { paymentId: string; amountMinor: number; currency: string; method: string }): void {
    if (this.payments.has(request.paymentId)) return;
    const reference = `sbx_${randomUUID()}`;
    const base = { paymentId: request.paymentId, amountMinor: request.amountMinor, gatewayReference: reference };
    const expiry = /^sandbox_card_expires_(\d{4}-\d{2}-\d{2})$/.exec(request.method);
    if (request.method === 'sandbox_decline' || (expiry && this.clock.now().getTime() >= Date.parse(`${expiry[1]}T00:00:00Z`))) {
      const reason = expiry ? 'card expired' : 'card declined';
      this.payments.set(request.paymentId, { status: 'failed', gatewayReference: reference, reason });
      this.send([{ ...base, type: 'payment.failed', reason }]);
      return;
    }
    this.payments.set(request.paymentId, { status: 'captured', gatewayReference: reference, amountMinor: request.amountMinor });
    const authorised = { ...base, type: 'payment.authorised' as const };
    const captured = { ...base, type: 'payment.captured' as const };
    this.send(Math.random() < this.options.reorderRate ? [captured, authorised] : [authorised, captured]);
  }

  refund(request: { paymentId: string; refundId: string; amountMinor: number }): void {
    if (this.refunds.has(request.refundId)) return;
    const gatewayReference = `sbr_${randomUUID()}`;
    this.refunds.set(request.refundId, { status: 'succeeded', gatewayReference });
    this.send([
      {
        type: 'refund.succeeded',
        paymentId: request.paymentId,
        refundId: request.refundId,
        amountMinor: request.amountMinor,
        gatewayReference,
      },
    ]);
  }

  async paymentStatus(paymentId: string): Promise<ProviderPaymentStatus> {
    return this.payments.get(paymentId) ?? { status: 'unknown' };
  }

  async refundStatus(_paymentId: string, refundId: string): Promise<ProviderRefundStatus> {
    return this.refunds.get(refundId) ?? { status: 'unknown' };
  }

  /** Resolves when every scheduled notification has been delivered (tests and benchmarks wait on it). */
  idle(): Promise<void> {
    return this.inFlight === 0 ? Promise.resolve() : new Promise((done) => this.idleWaiters.push(done));
  }

  private send(notifications: Omit<GatewayNotification, 'id' | 'signedAt'>[]): void {
    let delay = 0;
    for (const partial of notifications) {
      delay += Math.floor(Math.random() * this.options.maxDelayMs);
      if (Math.random() < (this.options.lossRate ?? 0)) continue;
      const copies = Math.random() < this.options.duplicateRate ? 2 : 1;
      const id = `ntf_${randomUUID()}`;
      for (let copy = 0; copy < copies; copy++)
        this.schedule(() => ({ ...partial, id, signedAt: this.clock.now().getTime() }), delay + copy);
    }
  }

  private schedule(build: () => GatewayNotification, delayMs: number, attempt = 0): void {
    this.inFlight++;
    setTimeout(async () => {
      try {
        const notification = build();
        await this.sink?.(notification, signNotification(this.options.secret, notification));
      } catch {
        if (attempt < 6) this.schedule(build, 50 * 2 ** attempt, attempt + 1);
      } finally {
        this.inFlight--;
        if (this.inFlight === 0) for (const done of this.idleWaiters.splice(0)) done();
      }
    }, delayMs).unref?.();
  }
}
