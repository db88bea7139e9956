import { CommandContext } from '@app/common';
import { tipOutcomeCommands, tipRefundCommands } from './tip-outcomes';

const context: CommandContext = {
  actor: { id: 'gateway:sandbox', roles: ['payment_gateway'] },
  correlationId: 'n1',
  channel: 'system',
  now: new Date('2026-03-02T02:00:00.000Z'),
};
const step = { actorId: 'gateway:sandbox', at: '2026-03-02T02:00:00.000Z', channel: 'system' };
const base = { paymentId: 'pay1', payerId: 'inv1', purpose: 'community_tip' as const, referenceId: 'tip1:host1' };

describe('tip payment reactors', () => {
  it('a captured tip is paid and credits the host with the configured share', () => {
    const commands = tipOutcomeCommands({ ...base, status: 'captured', amount: { amountMinor: 1000, currency: 'CNY' } }, context, {
      hostBps: 6000,
    });
    expect(commands.map((c) => [c.streamId, c.command])).toEqual([
      ['community.tips-inv1', { type: 'ConfirmTip', tipId: 'tip1', step }],
      [
        'community.host-host1',
        { type: 'CreditTip', tipId: 'tip1', gross: { amountMinor: 1000, currency: 'CNY' }, share: { hostBps: 6000 }, step },
      ],
    ]);
  });

  it('V4: a failed payment fails the tip, credits nobody and releases the tip from the daily cap', () => {
    const commands = tipOutcomeCommands({ ...base, status: 'failed', reason: 'card declined' }, context, { hostBps: 6000 });
    expect(commands.map((c) => [c.streamId, c.command])).toEqual([
      ['community.tips-inv1', { type: 'FailTip', tipId: 'tip1', reason: 'card declined', step }],
      ['tipping.investor-inv1', { type: 'ReleaseTip', tipId: 'tip1', reason: 'card declined', at: step.at }],
    ]);
  });

  it('a completed refund, partial or full, reverses that part of the tip and of the host share', () => {
    const commands = tipRefundCommands({ ...base, refundId: 'rf1', amountMinor: 400 }, context);
    expect(commands.map((c) => [c.streamId, c.command])).toMatchObject([
      ['community.tips-inv1', { type: 'ReverseTip', tipId: 'tip1', cause: 'refund', refundId: 'rf1', refundedMinor: 400 }],
      ['community.host-host1', { type: 'ReverseTip', tipId: 'tip1', cause: 'refund', refundId: 'rf1', refundedMinor: 400 }],
    ]);
  });

  it('a reference that is not a community tip is ignored', () => {
    expect(tipOutcomeCommands({ ...base, referenceId: 'something-else', status: 'captured' }, context, { hostBps: 1 })).toEqual([]);
  });
});
