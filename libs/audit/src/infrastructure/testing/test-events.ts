/** Test helper: plausible events for filling an audit test log. */
import { randomUUID } from 'node:crypto';
import { NewEvent } from '@app/event-store';

/** A plausible event with nested data, for filling a test log. */
export const testEvent = (i: number, type = 'test.SomethingHappened'): NewEvent => ({
  id: randomUUID(),
  type,
  data: { i, note: `event ${i}`, nested: { b: 2, a: [1, 'x'] } },
  metadata: { actor: 'user-1', correlationId: randomUUID(), occurredAt: '2026-11-23T10:00:00.000Z', channel: 'api' },
});
