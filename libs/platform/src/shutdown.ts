/** The order background work stops in when the application shuts down. */
import { BeforeApplicationShutdown, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { EventStore } from '@app/event-store';
import { ProjectionRunner } from './projections';
import { ReactorRunner } from './reactors';

/**
 * On shutdown: stop the reactors, then the projection loops (a reactor's command waits for read models), before any
 * pool closes (Nest runs every beforeApplicationShutdown hook before the data source's own shutdown); then close the
 * event store's pool.
 */
@Injectable()
export class EventStoreShutdown implements BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(
    private readonly runner: ProjectionRunner,
    private readonly store: EventStore,
    private readonly reactors: ReactorRunner,
  ) {}

  async beforeApplicationShutdown(): Promise<void> {
    await this.reactors.stop();
    await this.runner.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
