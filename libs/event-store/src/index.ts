/** The event store's public surface: the ports (the log, and the SQL database it is kept in), hashing, upcasting, and the PostgreSQL and EventStoreDB adapters. */
export * from './event-store.port';
export * from './log-database.port';
export * from './upcasting';
export * from './postgres/pg-event-store';
export * from './eventstoredb/esdb-event-store';
