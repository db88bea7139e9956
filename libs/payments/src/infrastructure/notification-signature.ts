/** Signing and verifying the payment provider's notifications. */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { canonicalJson } from '@app/common';
import { GatewayNotification } from './payment-gateway';

/**
 * HMAC-SHA256 over the canonical JSON of a notification. The canonical form makes the signature independent of how a
 * body parser re-serialises the payload.
 */
export const signNotification = (secret: string, notification: GatewayNotification): string =>
  createHmac('sha256', secret).update(canonicalJson(notification)).digest('hex');

export const verifyNotification = (secret: string, notification: GatewayNotification, signature: string): boolean => {
  const expected = Buffer.from(signNotification(secret, notification), 'hex');
  const given = Buffer.from(/^[0-9a-f]{64}$/.test(signature) ? signature : '', 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
};
