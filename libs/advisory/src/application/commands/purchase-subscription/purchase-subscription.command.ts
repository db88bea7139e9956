import { CommandContext } from '@app/common';

/** The first purchase of a contracted engagement, or (renewal) the next period of an active one. */
export class PurchaseSubscriptionCommand {
  constructor(
    readonly engagementId: string,
    readonly renewal: boolean,
    /** Coupon codes, points or cash-back the client asked for; the gate refuses them on advisory products (V2). */
    readonly incentives: readonly string[],
    /** The payment method token the provider charges. */
    readonly paymentMethod: string,
    readonly context: CommandContext,
  ) {}
}
