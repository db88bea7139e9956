/** The port to a payment service provider. Outcomes come back later as signed notifications (see CallbackReceiver). */
export abstract class PaymentGateway {
  /** Starts charging a payment; a repeated call for the same payment id is ignored by the provider. */
  abstract charge(request: { paymentId: string; amountMinor: number; currency: string; method: string }): void;
  abstract refund(request: { paymentId: string; refundId: string; amountMinor: number; currency: string }): void;
}

export type NotificationType = 'payment.authorised' | 'payment.captured' | 'payment.failed' | 'refund.succeeded' | 'refund.failed';

/** What a provider tells us about a payment, signed. */
export interface GatewayNotification {
  readonly id: string;
  readonly type: NotificationType;
  readonly paymentId: string;
  readonly amountMinor: number;
  readonly gatewayReference: string;
  readonly refundId?: string;
  readonly reason?: string;
  /** Unix milliseconds when the provider signed it. */
  readonly signedAt: number;
}

export const SANDBOX_METHODS = ['sandbox_ok', 'sandbox_decline'] as const;
export type SandboxMethod = (typeof SANDBOX_METHODS)[number];
