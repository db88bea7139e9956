/** Identity's event upcasters, registered with the event store. */
import { Injectable } from '@nestjs/common';
import { EventStore } from '@app/event-store';
import { USER_REGISTERED, upcastUserRegisteredV1 } from '../domain/user';

/** Registers identity's upcasters with the event store when the module is wired, before anything reads the log. */
@Injectable()
export class IdentityUpcasters {
  constructor(events: EventStore) {
    events.registerUpcaster(USER_REGISTERED, 1, upcastUserRegisteredV1);
  }
}
