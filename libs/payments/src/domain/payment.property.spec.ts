import fc from 'fast-check';
import { DomainError } from '@app/common';
import { PaymentCommand, PaymentEvent, PaymentState, paymentDecider, refundableMinor } from './payment';

const at = '2026-11-23T10:00:00.000Z';
const paymentId = 'pay-1';
const request: PaymentCommand = {
  type: 'RequestPayment',
  paymentId,
  at,
  payerId: 'inv-1',
  amountMinor: 10_000,
  currency: 'CNY',
  purpose: 'subscription',
  referenceId: 's',
};

const callback = fc.constantFrom<PaymentCommand>(
  { type: 'AuthorisePayment', paymentId, at, gatewayReference: 'gw' },
  { type: 'CapturePayment', paymentId, at, gatewayReference: 'gw', amountMinor: 10_000 },
);
const refundCommand = fc.record({
  id: fc.integer({ min: 1, max: 6 }),
  amount: fc.integer({ min: 1, max: 6_000 }),
  outcome: fc.constantFrom('none', 'complete', 'fail'),
});

/** Run commands, keeping the events a handler would append. */
const run = (commands: readonly PaymentCommand[]) => {
  let state: PaymentState = paymentDecider.initialState;
  const events: PaymentEvent[] = [];
  for (const command of commands) {
    const result = paymentDecider.decide(command, state);
    if (result instanceof DomainError) continue;
    events.push(...result);
    state = result.reduce(paymentDecider.evolve, state);
  }
  return { state, events };
};

describe('payment decider properties', () => {
  it('gateway callbacks duplicated and reordered always end captured, with exactly one capture event', () => {
    fc.assert(
      fc.property(fc.array(callback, { minLength: 1, maxLength: 12 }), (callbacks) => {
        const withCapture = [
          ...callbacks,
          { type: 'CapturePayment', paymentId, at, gatewayReference: 'gw', amountMinor: 10_000 } as PaymentCommand,
        ];
        const { state, events } = run([request, ...withCapture]);
        expect(state.status).toBe('captured');
        expect(events.filter((event) => event.type === 'payments.PaymentCaptured')).toHaveLength(1);
      }),
    );
  });

  it('whatever refunds are requested, completed or failed, requested-and-not-failed refunds never exceed the capture', () => {
    fc.assert(
      fc.property(fc.array(refundCommand, { maxLength: 20 }), (refunds) => {
        const commands: PaymentCommand[] = [
          request,
          { type: 'CapturePayment', paymentId, at, gatewayReference: 'gw', amountMinor: 10_000 },
        ];
        for (const refund of refunds) {
          const refundId = `r-${refund.id}`;
          commands.push({ type: 'RequestRefund', paymentId, at, refundId, amountMinor: refund.amount, reason: 'r', actorId: 'co' });
          if (refund.outcome === 'complete') commands.push({ type: 'CompleteRefund', paymentId, at, refundId });
          if (refund.outcome === 'fail') commands.push({ type: 'FailRefund', paymentId, at, refundId, reason: 'x' });
        }
        const { state } = run(commands);
        expect(refundableMinor(state)).toBeGreaterThanOrEqual(0);
        if (state.status !== 'none') {
          const completed = state.refunds
            .filter((refund) => refund.status === 'completed')
            .reduce((sum, refund) => sum + refund.amountMinor, 0);
          expect(completed).toBeLessThanOrEqual(state.capturedMinor);
        }
      }),
    );
  });
});
