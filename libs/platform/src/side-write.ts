/** Writes beside the log that a command's unit of work makes in the transaction of its append (see AggregateStore.handle). */
import { EventStoreTransaction } from '@app/event-store';

/**
 * A write beside the log (a row of a context's own table, a vault key) that the unit of work makes in the transaction
 * that appends the decision's events: both are stored or neither. Prepared by a context's infrastructure (its SQL stays
 * there); a handler only says which writes follow from its decision.
 */
export interface SideWrite {
  /** What it writes, for logs and errors. */
  readonly name: string;
  readonly apply: (tx: EventStoreTransaction) => Promise<void>;
}

export const sideWrite = (name: string, apply: (tx: EventStoreTransaction) => Promise<void>): SideWrite => ({ name, apply });
