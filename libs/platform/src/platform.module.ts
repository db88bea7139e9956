/** The Nest module that wires the shared infrastructure. */
import { DynamicModule, Global, Module, Provider } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR, DiscoveryModule } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Pool } from 'pg';
import { Clock, IdGenerator, RandomIdGenerator, SystemClock } from '@app/common';
import { EventStore, LogDatabase, PgEventStore } from '@app/event-store';
import { AggregateStore } from './aggregate-store';
import { AppConfig } from './config';
import { PreparingClient, socketHostOf } from './database';
import { ErrorFilter, RequestContextInterceptor } from './http';
import { IdempotencyInterceptor, IdempotencyService } from './idempotency';
import { RequestRecords } from './request-record';
import { JsonLogger } from './logger';
import { Metrics } from './metrics';
import { ProjectionRunner } from './projections';
import { EventStoreShutdown } from './shutdown';
import { ReactorRunner } from './reactors';
import { Readiness } from './readiness';
import { ReplicaReadInterceptor, ReplicaReads, routingDriver } from './read-replica';
import { APP_CONFIG } from './tokens';

/**
 * The log's connections keep their prepared statements only while they are open, and the longest of them (the growth
 * sink's, the append) take tens of milliseconds of the database's CPU to plan. node-postgres closes a connection idle
 * for 10 s by default, so each quiet spell made the next burst plan them again on every connection; these stay open
 * for ten minutes of quiet.
 */
const FIXED_STATEMENT_IDLE_MS = 600_000;

export interface PlatformOptions {
  readonly config: AppConfig;
  /** The resolved PostgreSQL URL (embedded or DATABASE_URL). */
  readonly databaseUrl: string;
  readonly clock?: Clock;
  readonly ids?: IdGenerator;
  readonly logger?: JsonLogger;
  readonly metrics?: Metrics;
}

/** Shared infrastructure every context uses: config, clock, ids, logging, the event store, projections, CQRS. */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(options: PlatformOptions): DynamicModule {
    const logger = options.logger ?? new JsonLogger(options.config.logLevel);
    const metrics = options.metrics ?? new Metrics();
    const replicaUrl = options.config.databaseReplicaUrl;
    const replica = replicaUrl ? new ReplicaReads({ url: replicaUrl, maxWaitMs: options.config.replicaMaxWaitMs }, metrics) : undefined;
    const providers: Provider[] = [
      { provide: APP_CONFIG, useValue: options.config },
      { provide: Clock, useValue: options.clock ?? new SystemClock() },
      { provide: IdGenerator, useValue: options.ids ?? new RandomIdGenerator() },
      { provide: JsonLogger, useValue: logger },
      { provide: Metrics, useValue: metrics },
      {
        provide: PgEventStore,
        useFactory: () =>
          new PgEventStore(
            new Pool({
              connectionString: options.databaseUrl,
              max: 20,
              Client: PreparingClient,
              idleTimeoutMillis: FIXED_STATEMENT_IDLE_MS,
            }),
            new Map(),
            options.config.projectionPollMs,
            undefined,
            // The hot, fixed statements: each planned once per connection, generically.
            new Pool({
              connectionString: options.databaseUrl,
              max: 20,
              Client: PreparingClient,
              idleTimeoutMillis: FIXED_STATEMENT_IDLE_MS,
              options: '-c plan_cache_mode=force_generic_plan',
            }),
          ),
      },
      { provide: EventStore, useExisting: PgEventStore },
      // What needs the SQL database beside the log asks for it by this port, never for the adapter.
      { provide: LogDatabase, useExisting: PgEventStore },
      ProjectionRunner,
      EventStoreShutdown,
      ReactorRunner,
      AggregateStore,
      Readiness,
      RequestRecords,
      IdempotencyService,
      IdempotencyInterceptor,
      { provide: APP_FILTER, useClass: ErrorFilter },
      { provide: APP_INTERCEPTOR, useClass: RequestContextInterceptor },
      ...(replica
        ? [
            { provide: ReplicaReads, useValue: replica },
            { provide: APP_INTERCEPTOR, useClass: ReplicaReadInterceptor },
          ]
        : []),
    ];
    return {
      module: PlatformModule,
      imports: [
        DiscoveryModule,
        CqrsModule.forRoot(),
        TypeOrmModule.forRoot({
          type: 'postgres',
          url: options.databaseUrl,
          autoLoadEntities: true,
          synchronize: false,
          logging: false,
          // Pipelined: statements a caller sends together on one connection (a projection batch's) go out at once.
          extra: { max: 20, Client: PreparingClient, pipeline: true, ...socketHostOf(options.databaseUrl) },
          ...(replica ? { driver: routingDriver(replica) } : {}),
        }),
      ],
      providers,
      exports: [
        APP_CONFIG,
        Clock,
        IdGenerator,
        JsonLogger,
        Metrics,
        PgEventStore,
        EventStore,
        LogDatabase,
        ProjectionRunner,
        ReactorRunner,
        AggregateStore,
        Readiness,
        RequestRecords,
        IdempotencyService,
        IdempotencyInterceptor,
        CqrsModule,
      ],
    };
  }
}
