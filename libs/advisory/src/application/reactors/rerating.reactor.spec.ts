import { RecordedEvent } from '@app/event-store';
import { reactionContext } from '@app/platform';
import { RATING_CHANGE_APPROVED, RerateSubscriberCommand, reratingReactions } from './rerating.reactor';

/** L4 as a reactor, pure: given an approved rating change and the product's subscribers → one re-rating command each. */
describe('L4 re-rating reactor: given events → expected commands', () => {
  const reactor = { name: 'advisory.rerating' };
  const approved = {
    id: 'evt-1',
    type: RATING_CHANGE_APPROVED,
    data: { listingId: 'prod-1', from: 'R3', to: 'R4', upward: true },
    metadata: { actor: 'officer', correlationId: 'corr-1', occurredAt: '2026-03-01T00:00:00.000Z', channel: 'staff_console' },
  } as unknown as RecordedEvent;
  const subscribers = [
    { engagementId: 'eng-1', investorId: 'inv-1', planId: 'plan-q' },
    { engagementId: 'eng-2', investorId: 'inv-2', planId: 'plan-y' },
  ];
  const now = new Date('2026-03-01T00:00:05.000Z');
  const commandsOf = (event: RecordedEvent, people = subscribers) =>
    reratingReactions(event, people).map((next) => next.command(reactionContext(reactor, event, next.key, now)));

  it('L4: an approved rating change re-rates every current subscriber of the product, one command each, keyed by engagement', () => {
    expect(commandsOf(approved)).toEqual([
      new RerateSubscriberCommand('prod-1', subscribers[0], reactionContext(reactor, approved, 'eng-1', now)),
      new RerateSubscriberCommand('prod-1', subscribers[1], reactionContext(reactor, approved, 'eng-2', now)),
    ]);
  });

  it('L4: each command is caused by the change, in its correlation, by the system, under a key of its own', () => {
    const [first, second] = commandsOf(approved) as RerateSubscriberCommand[];
    expect(first.context).toMatchObject({
      actor: { id: 'system' },
      causationId: 'evt-1',
      correlationId: 'corr-1',
      channel: 'system',
      idempotencyKey: 'advisory.rerating:evt-1:eng-1',
    });
    expect(second.context.idempotencyKey).toBe('advisory.rerating:evt-1:eng-2');
  });

  it('L4: a change with no subscribers, and any other event, call for nothing', () => {
    expect(commandsOf(approved, [])).toEqual([]);
    expect(commandsOf({ ...approved, type: 'catalog.RiskRatingChangeRequested' } as RecordedEvent)).toEqual([]);
  });
});
