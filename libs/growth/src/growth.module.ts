import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { APP_CONFIG, AppConfig } from '@app/platform';
import { ActivityController } from './api/activity.controller';
import { AnalyticsController } from './api/analytics.controller';
import { ActivityQuery, ActivitySink, AudienceQuery } from './audience';
import { AnalyticsService } from './application/analytics.service';
import { ChangeAnalyticsConsentHandler } from './application/commands/analytics-consent.handler';
import { CompleteLessonHandler } from './application/commands/complete-lesson.handler';
import { LearningPathQuery } from './application/learning-path';
import { ActivityPartitions } from './infrastructure/activity-partitions';
import { GrowthCounters } from './infrastructure/growth-counters';
import { GrowthSettings } from './infrastructure/growth-settings';
import { PgActivityQuery } from './infrastructure/pg-activity-query';
import { PgActivitySink } from './infrastructure/pg-activity-sink';
import { PgAudienceQuery } from './infrastructure/pg-audience-query';
import { ServerActivityFeed } from './infrastructure/server-activity-feed';
import { GrowthInvestorsProjection } from './projections/growth-investors.projection';

/**
 * The growth context: activity capture under analytics consent (G7), versioned activity definitions, and the
 * analytics kept from them; it binds AudienceQuery, ActivityQuery and ActivitySink for the contexts that act on users.
 */
@Module({
  imports: [CqrsModule],
  controllers: [ActivityController, AnalyticsController],
  providers: [
    { provide: GrowthSettings, inject: [APP_CONFIG], useFactory: (config: AppConfig) => GrowthSettings.from(config) },
    ActivityPartitions,
    GrowthCounters,
    PgActivitySink,
    { provide: ActivitySink, useExisting: PgActivitySink },
    PgActivityQuery,
    { provide: ActivityQuery, useExisting: PgActivityQuery },
    PgAudienceQuery,
    { provide: AudienceQuery, useExisting: PgAudienceQuery },
    AnalyticsService,
    ChangeAnalyticsConsentHandler,
    CompleteLessonHandler,
    LearningPathQuery,
    GrowthInvestorsProjection,
    ServerActivityFeed,
  ],
  exports: [AudienceQuery, ActivityQuery, ActivitySink, AnalyticsService, ActivityPartitions, GrowthCounters],
})
export class GrowthModule {}
