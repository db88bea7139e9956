/** The secret shared with the payment provider for signing notifications. */
export const PAYMENTS_SECRET = Symbol('PAYMENTS_SECRET');
