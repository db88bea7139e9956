/**
 * The port for money leaving the company account: payouts to a host's settlement account (community's host share of
 * tips). Unlike charges, a payout is answered when it is sent (the provider's payout API is synchronous); a payout
 * whose answer was lost is asked about again with `payoutStatus`, and sending the same payout id twice pays once.
 */
export type PayoutResult =
  | { readonly status: 'paid'; readonly reference: string }
  | { readonly status: 'failed'; readonly reason: string }
  | { readonly status: 'unknown' };

export interface PayoutRequest {
  readonly payoutId: string;
  /** Who is paid: the host's user id (the provider maps it to the account on file). */
  readonly payeeId: string;
  readonly amountMinor: number;
  readonly currency: string;
}

export abstract class PayoutGateway {
  abstract payout(request: PayoutRequest): Promise<PayoutResult>;
  abstract payoutStatus(payoutId: string): Promise<PayoutResult>;
}

/**
 * The sandbox payout provider: pays every payout once per id, in memory, except to payees listed in
 * `failingPayees` (an account the provider refuses), which lets tests and demos see a failed payout.
 */
export class SandboxPayoutGateway extends PayoutGateway {
  private readonly payouts = new Map<string, PayoutResult>();
  private sequence = 0;

  constructor(private readonly failingPayees: ReadonlySet<string> = new Set()) {
    super();
  }

  async payout(request: PayoutRequest): Promise<PayoutResult> {
    const known = this.payouts.get(request.payoutId);
    if (known) return known;
    const result: PayoutResult =
      this.failingPayees.has(request.payeeId) || !(request.amountMinor > 0)
        ? { status: 'failed', reason: 'the payee account refused the transfer' }
        : { status: 'paid', reference: `sbx_po_${++this.sequence}_${request.payoutId.slice(0, 8)}` };
    this.payouts.set(request.payoutId, result);
    return result;
  }

  async payoutStatus(payoutId: string): Promise<PayoutResult> {
    return this.payouts.get(payoutId) ?? { status: 'unknown' };
  }
}
