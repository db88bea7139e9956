import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { RecordedEvent } from '@app/event-store';
import { EventProjection, Projection } from '@app/platform';
import { UserEvent } from '../domain/user';
import { UserView } from './user-view.entity';

@Injectable()
@EventProjection()
export class UsersProjection implements Projection {
  readonly name = 'identity.users';
  readonly tables = ['users_view'];

  async apply(events: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    for (const recorded of events) {
      const event = recorded as unknown as UserEvent;
      switch (event.type) {
        case 'identity.UserRegistered':
          await manager.upsert(
            UserView,
            {
              userId: event.data.userId,
              email: event.data.email,
              displayName: event.data.displayName,
              roles: event.data.roles,
              dateOfBirth: event.data.dateOfBirth ?? null,
              registeredAt: new Date(event.data.registeredAt),
            },
            ['userId'],
          );
          break;
        case 'identity.RoleGranted':
          await manager.query(`UPDATE users_view SET roles = array_append(roles, $2) WHERE user_id = $1 AND NOT ($2 = ANY(roles))`, [event.data.userId, event.data.role]);
          break;
        case 'identity.RoleRevoked':
          await manager.query(`UPDATE users_view SET roles = array_remove(roles, $2) WHERE user_id = $1`, [event.data.userId, event.data.role]);
          break;
      }
    }
  }
}
