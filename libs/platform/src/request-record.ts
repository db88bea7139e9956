/** The response record of the request being handled, carried by async context from the idempotency interceptor to the unit of work. */
import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import { AppendGuard, EventStoreTransaction } from '@app/event-store';

/**
 * The response record of the request being handled (its Idempotency-Key with the answer), for the unit of work to write
 * with the events: by the append statement (`guard`) or inside a transaction (`write`). Set around a route by the
 * idempotency interceptor; handlers never see it.
 */
export interface RequestRecord {
  guard(body: unknown): AppendGuard;
  write(tx: EventStoreTransaction, body: unknown): Promise<void>;
  /** True once a write has stored it: later writes of the same request go without it. */
  readonly recorded: boolean;
}

/** The request's record, carried through the command bus by async context. */
@Injectable()
export class RequestRecords {
  private readonly scope = new AsyncLocalStorage<RequestRecord>();

  run<T>(record: RequestRecord, work: () => Promise<T>): Promise<T> {
    return this.scope.run(record, work);
  }

  /** The record still to be written, if the running request has one. */
  current(): RequestRecord | undefined {
    const record = this.scope.getStore();
    return record && !record.recorded ? record : undefined;
  }
}
