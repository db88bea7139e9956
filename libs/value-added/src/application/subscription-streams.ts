/**
 * Payments for subscriptions carry a reference from which the subscription stream is found without a read-model
 * lookup: "<investorId>/<listingId>/<subscriptionId>".
 */
export const subscriptionPaymentReference = (investorId: string, listingId: string, subscriptionId: string) =>
  `${investorId}/${listingId}/${subscriptionId}`;

export const parseSubscriptionPaymentReference = (
  reference: string,
): { investorId: string; listingId: string; subscriptionId: string } | null => {
  const parts = reference.split('/');
  return parts.length === 3 ? { investorId: parts[0], listingId: parts[1], subscriptionId: parts[2] } : null;
};
