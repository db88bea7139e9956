/** Reading old versions of events as the current one. */
import { RecordedEvent } from './event-store.port';

/**
 * Old events are never rewritten: a reader upcasts them. An upcaster turns version N of a type into version N+1;
 * chains run until no upcaster matches. The stored bytes (and so the hash) stay as they were written.
 */
export type Upcaster = (data: Record<string, unknown>) => Record<string, unknown>;
export type Upcasters = ReadonlyMap<string, Upcaster>; // key: `${type}@${fromVersion}`

export const upcasterKey = (type: string, fromVersion: number) => `${type}@${fromVersion}`;

export const upcast = (upcasters: Upcasters, event: RecordedEvent): RecordedEvent => {
  let current = event;
  for (
    let step = upcasters.get(upcasterKey(current.type, current.schemaVersion));
    step;
    step = upcasters.get(upcasterKey(current.type, current.schemaVersion))
  ) {
    current = { ...current, data: step(current.data), schemaVersion: current.schemaVersion + 1 };
  }
  return current;
};
