/** The event store's public surface: the port, hashing, upcasting, and the PostgreSQL and EventStoreDB adapters. */
export * from './event-store.port';
export * from './upcasting';
export * from './postgres/pg-event-store';
export * from './eventstoredb/esdb-event-store';
