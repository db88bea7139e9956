import { AdjustableClock } from '@app/common';
import { GatewayNotification } from './payment-gateway';
import { SandboxGateway } from './sandbox-gateway';

const sandbox = (lossRate = 0) => {
  const gateway = new SandboxGateway({ secret: 's', maxDelayMs: 2, duplicateRate: 0, reorderRate: 0, lossRate }, new AdjustableClock());
  const delivered: GatewayNotification[] = [];
  gateway.deliverTo(async (notification) => {
    delivered.push(notification);
  });
  return { gateway, delivered };
};

describe('sandbox provider: asked for a status, it answers the outcome it decided', () => {
  it('knows nothing of a payment it was never asked to charge', async () => {
    const { gateway } = sandbox();
    expect(await gateway.paymentStatus('p-0')).toEqual({ status: 'unknown' });
    expect(await gateway.refundStatus('p-0', 'r-0')).toEqual({ status: 'unknown' });
  });

  it('a charge is captured, once however often it is started, and the status names the reference of the notifications', async () => {
    const { gateway, delivered } = sandbox();
    gateway.charge({ paymentId: 'p-1', amountMinor: 3000, currency: 'CNY', method: 'sandbox_ok' });
    gateway.charge({ paymentId: 'p-1', amountMinor: 3000, currency: 'CNY', method: 'sandbox_ok' });
    await gateway.idle();
    const status = await gateway.paymentStatus('p-1');
    expect(status).toMatchObject({ status: 'captured', amountMinor: 3000 });
    expect(delivered.map((notification) => notification.type)).toEqual(['payment.authorised', 'payment.captured']);
    expect(new Set(delivered.map((notification) => notification.gatewayReference))).toEqual(
      new Set([(status as { gatewayReference: string }).gatewayReference]),
    );
  });

  it('a declined card fails, and says why', async () => {
    const { gateway } = sandbox();
    gateway.charge({ paymentId: 'p-2', amountMinor: 3000, currency: 'CNY', method: 'sandbox_decline' });
    await gateway.idle();
    expect(await gateway.paymentStatus('p-2')).toMatchObject({ status: 'failed', reason: 'card declined' });
  });

  it('a refund succeeds', async () => {
    const { gateway } = sandbox();
    gateway.refund({ paymentId: 'p-3', refundId: 'r-3', amountMinor: 500 });
    await gateway.idle();
    expect(await gateway.refundStatus('p-3', 'r-3')).toMatchObject({ status: 'succeeded' });
  });

  it('with every notification lost, nothing is delivered but the outcome is there when asked', async () => {
    const { gateway, delivered } = sandbox(1);
    gateway.charge({ paymentId: 'p-4', amountMinor: 3000, currency: 'CNY', method: 'sandbox_ok' });
    await gateway.idle();
    expect(delivered).toEqual([]);
    expect(await gateway.paymentStatus('p-4')).toMatchObject({ status: 'captured' });
  });
});
