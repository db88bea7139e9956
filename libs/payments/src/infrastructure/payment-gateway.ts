/** The port to the payment provider: charges, refunds, what it knows of them, and the signed notifications it sends. */
/** What the provider knows of a payment when asked. `unknown`: it never received the charge (or has forgotten it). */
export type ProviderPaymentStatus =
  | { readonly status: 'unknown' }
  | { readonly status: 'pending' }
  | { readonly status: 'authorised'; readonly gatewayReference: string }
  | { readonly status: 'captured'; readonly gatewayReference: string; readonly amountMinor: number }
  | { readonly status: 'failed'; readonly gatewayReference: string; readonly reason: string };

/** What the provider knows of a refund when asked. */
export type ProviderRefundStatus =
  | { readonly status: 'unknown' }
  | { readonly status: 'pending' }
  | { readonly status: 'succeeded'; readonly gatewayReference: string }
  | { readonly status: 'failed'; readonly reason: string };

/** The port to a payment service provider. Outcomes come back later as signed notifications (see CallbackReceiver). */
export abstract class PaymentGateway {
  /** Starts charging a payment; a repeated call for the same payment id is ignored by the provider. */
  abstract charge(request: { paymentId: string; amountMinor: number; currency: string; method: string }): void;
  /** Starts a refund; a repeated call for the same refund id is ignored by the provider. */
  abstract refund(request: { paymentId: string; refundId: string; amountMinor: number; currency: string }): void;
  /** Asks the provider where a payment stands: for anything whose notification never arrived. */
  abstract paymentStatus(paymentId: string): Promise<ProviderPaymentStatus>;
  abstract refundStatus(paymentId: string, refundId: string): Promise<ProviderRefundStatus>;
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
