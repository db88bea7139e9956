import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { RecordedEvent } from '@app/event-store';
import { EventProjection, PiiVault, Projection } from '@app/platform';
import { RegistrationPersonalData, USER_REGISTERED, UserEvent, UserRegisteredData } from '../domain/user';
import { UserView } from './user-view.entity';

const CHUNK = 1000;

/**
 * Users read model. A batch is folded in memory over the rows it touches and written back with one upsert per chunk,
 * so a rebuild costs a few statements per thousand events rather than one per event.
 *
 * The email, display name and date of birth come from the vault (one read per batch) for registrations that reference
 * it, and from the event itself for registrations written before it did. Shredding empties them; a rebuild after it
 * finds the vault record unreadable, and replays the shredding after any legacy registration, so they stay empty.
 */
@Injectable()
@EventProjection()
export class UsersProjection implements Projection {
  readonly name = 'identity.users';
  readonly tables = ['users_view'];

  constructor(private readonly vault: PiiVault) {}

  async apply(events: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    const relevant = events.filter((event) => event.type.startsWith('identity.') && 'userId' in event.data) as unknown as UserEvent[];
    if (relevant.length === 0) return;
    const refs = relevant.flatMap((event) => (event.type === USER_REGISTERED && event.data.piiRef ? [event.data.piiRef] : []));
    const vaulted = await this.vault.readMany<RegistrationPersonalData>(refs);
    const personalData = (data: UserRegisteredData): RegistrationPersonalData | undefined => {
      if (!data.piiRef) return data.legacyPersonalData;
      const read = vaulted.get(data.piiRef);
      return read?.status === 'available' ? read.pii : undefined;
    };
    const ids = [...new Set(relevant.map((event) => event.data.userId))];
    const rows = new Map<string, UserView>();
    for (let i = 0; i < ids.length; i += CHUNK) {
      for (const row of await manager.findBy(UserView, { userId: In(ids.slice(i, i + CHUNK)) })) rows.set(row.userId, row);
    }
    for (const event of relevant) {
      const row = rows.get(event.data.userId);
      switch (event.type) {
        case USER_REGISTERED: {
          const pii = personalData(event.data);
          rows.set(
            event.data.userId,
            Object.assign(new UserView(), {
              userId: event.data.userId,
              email: pii?.email ?? null,
              displayName: pii?.displayName ?? null,
              roles: [...event.data.roles],
              dateOfBirth: pii?.dateOfBirth ?? null,
              registeredAt: new Date(event.data.registeredAt),
              disabled: false,
            }),
          );
          break;
        }
        case 'identity.PersonalDataShredded':
          if (row) Object.assign(row, { email: null, displayName: null, dateOfBirth: null });
          break;
        case 'identity.RoleGranted':
          if (row && !row.roles.includes(event.data.role)) row.roles = [...row.roles, event.data.role];
          break;
        case 'identity.RoleRevoked':
          if (row) row.roles = row.roles.filter((role) => role !== event.data.role);
          break;
        case 'identity.UserDisabled':
        case 'identity.UserEnabled':
          if (row) row.disabled = event.type === 'identity.UserDisabled';
          break;
      }
    }
    const changed = [...rows.values()];
    for (let i = 0; i < changed.length; i += CHUNK) {
      const chunk = changed.slice(i, i + CHUNK);
      await manager.query(
        `INSERT INTO users_view (user_id, email, display_name, roles, date_of_birth, registered_at, disabled)
         SELECT u.user_id, u.email, u.display_name, ARRAY(SELECT jsonb_array_elements_text(u.roles)), u.date_of_birth, u.registered_at, u.disabled
           FROM unnest($1::uuid[], $2::text[], $3::text[], $4::jsonb[], $5::date[], $6::timestamptz[], $7::boolean[])
             AS u(user_id, email, display_name, roles, date_of_birth, registered_at, disabled)
         ON CONFLICT (user_id) DO UPDATE SET email = EXCLUDED.email, display_name = EXCLUDED.display_name, roles = EXCLUDED.roles,
           date_of_birth = EXCLUDED.date_of_birth, registered_at = EXCLUDED.registered_at, disabled = EXCLUDED.disabled`,
        [
          chunk.map((row) => row.userId),
          chunk.map((row) => row.email),
          chunk.map((row) => row.displayName),
          chunk.map((row) => JSON.stringify(row.roles)),
          chunk.map((row) => row.dateOfBirth),
          chunk.map((row) => row.registeredAt),
          chunk.map((row) => row.disabled ?? false),
        ],
      );
    }
  }
}
