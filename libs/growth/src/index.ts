export * from './audience';
export * from './growth.module';
export * from './domain/activity';
export * from './domain/analytics-consent';
export { AnalyticsService } from './application/analytics.service';
export { ActivityPartitions } from './infrastructure/activity-partitions';
export { PgActivitySink } from './infrastructure/pg-activity-sink';
export { ServerActivityFeed, SERVER_ACTIVITY_CHECKPOINT } from './infrastructure/server-activity-feed';
export * from './domain/lessons';
