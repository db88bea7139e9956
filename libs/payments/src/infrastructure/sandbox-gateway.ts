import { randomUUID } from 'node:crypto';
import { Clock } from '@app/common';
import { GatewayNotification, PaymentGateway } from './payment-gateway';
import { signNotification } from './notification-signature';

export interface SandboxOptions {
  readonly secret: string;
  /** Largest delay before a notification is delivered. */
  readonly maxDelayMs: number;
  /** Probability that a notification is delivered twice. */
  readonly duplicateRate: number;
  /** Probability that a payment's capture is delivered before its authorisation. */
  readonly reorderRate: number;
}

export type NotificationSink = (notification: GatewayNotification, signature: string) => Promise<void>;

/**
 * A sandbox provider that behaves like a real one: it answers later, signs what it sends, sometimes sends a
 * notification twice or out of order, and retries delivery with backoff when the receiver fails. Method
 * `sandbox_decline` fails the payment, `sandbox_card_expires_<YYYY-MM-DD>` fails once the clock reaches that date (a
 * card that lapses between the first charge and a renewal); anything else succeeds.
 */
export class SandboxGateway extends PaymentGateway {
  private sink: NotificationSink | undefined;
  private readonly started = new Set<string>();
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
    if (this.started.has(`charge:${request.paymentId}`)) return;
    this.started.add(`charge:${request.paymentId}`);
    const reference = `sbx_${randomUUID()}`;
    const base = { paymentId: request.paymentId, amountMinor: request.amountMinor, gatewayReference: reference };
    const expiry = /^sandbox_card_expires_(\d{4}-\d{2}-\d{2})$/.exec(request.method);
    if (request.method === 'sandbox_decline' || (expiry && this.clock.now().getTime() >= Date.parse(`${expiry[1]}T00:00:00Z`))) {
      this.send([{ ...base, type: 'payment.failed', reason: expiry ? 'card expired' : 'card declined' }]);
      return;
    }
    const authorised = { ...base, type: 'payment.authorised' as const };
    const captured = { ...base, type: 'payment.captured' as const };
    this.send(Math.random() < this.options.reorderRate ? [captured, authorised] : [authorised, captured]);
  }

  refund(request: { paymentId: string; refundId: string; amountMinor: number }): void {
    if (this.started.has(`refund:${request.refundId}`)) return;
    this.started.add(`refund:${request.refundId}`);
    this.send([{ type: 'refund.succeeded', paymentId: request.paymentId, refundId: request.refundId, amountMinor: request.amountMinor, gatewayReference: `sbr_${randomUUID()}` }]);
  }

  /** Resolves when every scheduled notification has been delivered (tests and benchmarks wait on it). */
  idle(): Promise<void> {
    return this.inFlight === 0 ? Promise.resolve() : new Promise((done) => this.idleWaiters.push(done));
  }

  private send(notifications: Omit<GatewayNotification, 'id' | 'signedAt'>[]): void {
    let delay = 0;
    for (const partial of notifications) {
      delay += Math.floor(Math.random() * this.options.maxDelayMs);
      const copies = Math.random() < this.options.duplicateRate ? 2 : 1;
      const id = `ntf_${randomUUID()}`;
      for (let copy = 0; copy < copies; copy++) this.schedule(() => ({ ...partial, id, signedAt: this.clock.now().getTime() }), delay + copy);
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
