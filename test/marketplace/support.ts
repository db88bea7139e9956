import { randomUUID } from 'node:crypto';
import { PaymentGateway, SandboxGateway } from '@app/payments';
import { TestApp } from '../support/app';
import { auth } from './fixtures';

/** Waits until the sandbox provider has delivered every notification it scheduled. */
export const paymentsSettled = async (t: TestApp): Promise<void> => {
  const gateway = t.app.get(PaymentGateway);
  if (gateway instanceof SandboxGateway) await gateway.idle();
};

export const key = () => `k-${randomUUID()}`;

export const subscribe = (t: TestApp, token: string, body: Record<string, unknown>, idempotencyKey = key()) =>
  t.http.post('/subscriptions').set(auth(token)).set('Idempotency-Key', idempotencyKey).send(body);

export const entitlements = async (t: TestApp, token: string, at?: string) =>
  (
    await t.http
      .get(`/me/entitlements${at ? `?at=${encodeURIComponent(at)}` : ''}`)
      .set(auth(token))
      .expect(200)
  ).body.entitlements as { feature: string }[];

export const DAY = 86_400_000;
