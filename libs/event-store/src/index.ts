export * from './event-store.port';
export * from './upcasting';
export * from './postgres/pg-event-store';
export * from './eventstoredb/esdb-event-store';
