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

  it('a failed payment fails the tip and credits nobody', () => {
    const commands = tipOutcomeCommands({ ...base, status: 'failed', reason: 'card declined' }, context, { hostBps: 6000 });
    expect(commands.map((c) => [c.streamId, c.command])).toEqual([
      ['community.tips-inv1', { type: 'FailTip', tipId: 'tip1', reason: 'card declined', step }],
    ]);
  });

  it('a completed refund reverses the tip and the host share', () => {
    const commands = tipRefundCommands({ ...base, refundId: 'rf1', amountMinor: 1000 }, context);
    expect(commands.map((c) => [c.streamId, (c.command as { type: string }).type])).toEqual([
      ['community.tips-inv1', 'ReverseTip'],
      ['community.host-host1', 'ReverseTip'],
    ]);
  });

  it('a reference that is not a community tip is ignored', () => {
    expect(tipOutcomeCommands({ ...base, referenceId: 'something-else', status: 'captured' }, context, { hostBps: 1 })).toEqual([]);
  });
});
