import { Decider, DomainEvent, forbidden, invalid, conflict } from '@app/common';

/**
 * Users are event-sourced. Credentials (the password hash and the email used to sign in) are kept out of the log, in a
 * table of their own; the email, display name and date of birth given at registration are kept in the personal-data
 * vault and the log holds only their reference (E3), so that shredding the user's key erases them.
 */
export const ROLES = ['investor', 'product_manager', 'compliance_officer', 'advisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** What a person gives at registration: personal data, kept in the vault. */
export interface RegistrationPersonalData {
  readonly email: string;
  readonly displayName: string;
  readonly dateOfBirth?: string;
}

export const USER_REGISTERED = 'identity.UserRegistered';
/** Version 2 references the vault; version 1 carried the personal data itself. */
export const USER_REGISTERED_VERSION = 2;

export interface UserRegisteredData {
  readonly userId: string;
  readonly roles: Role[];
  readonly registeredAt: string;
  /** The vault record of the registration's personal data; null for users registered before the vault held it. */
  readonly piiRef: string | null;
  /** Version 1 events, as upcast: their personal data was written into the log and stays there (E1). */
  readonly legacyPersonalData?: RegistrationPersonalData;
}

export type UserEvent =
  | DomainEvent<typeof USER_REGISTERED, UserRegisteredData>
  | DomainEvent<'identity.RoleGranted', { userId: string; role: Role; grantedBy: string; at: string }>
  | DomainEvent<'identity.RoleRevoked', { userId: string; role: Role; revokedBy: string; at: string }>
  | DomainEvent<'identity.PersonalDataShredded', { userId: string; piiRef: string | null; reason: string; shreddedBy: string; at: string }>;

export type UserCommand =
  | { type: 'RegisterUser'; userId: string; piiRef: string; roles: Role[]; now: string }
  | { type: 'GrantRole'; userId: string; role: Role; by: { id: string; roles: readonly string[] }; now: string }
  | { type: 'RevokeRole'; userId: string; role: Role; by: { id: string; roles: readonly string[] }; now: string }
  | { type: 'ShredPersonalData'; userId: string; reason: string; by: { id: string; roles: readonly string[] }; now: string };

export type UserState =
  | { status: 'none' }
  | { status: 'registered'; userId: string; roles: Role[]; piiRef: string | null; personalDataShredded: boolean };

/**
 * Reads a version 1 registration (email, display name and date of birth in the event) as version 2. The stored bytes,
 * and so the event's hash, stay as written; readers see the personal data as legacy data beside a null vault reference.
 */
export const upcastUserRegisteredV1 = (data: Record<string, unknown>): Record<string, unknown> => {
  const { email, displayName, dateOfBirth, ...rest } = data;
  return {
    ...rest,
    piiRef: null,
    legacyPersonalData: { email, displayName, ...(typeof dateOfBirth === 'string' ? { dateOfBirth } : {}) },
  };
};

const requireAdmin = (by: { id: string; roles: readonly string[] }, userId: string) => {
  if (!by.roles.includes('admin')) return forbidden('IDENTITY.ADMIN_ONLY', 'only an admin manages roles');
  if (by.id === userId) return forbidden('IDENTITY.SELF_ROLE_CHANGE', 'an admin cannot change their own roles');
  return null;
};

export const userDecider: Decider<UserCommand, UserEvent, UserState> = {
  initialState: { status: 'none' },
  decide(command, state) {
    switch (command.type) {
      case 'RegisterUser': {
        if (state.status !== 'none') return conflict('IDENTITY.USER_EXISTS', 'this user is already registered');
        if (command.roles.length === 0) return invalid('IDENTITY.NO_ROLE', 'a user needs at least one role');
        const { userId, piiRef, roles, now } = command;
        return [{ type: USER_REGISTERED, schemaVersion: USER_REGISTERED_VERSION, data: { userId, roles, registeredAt: now, piiRef } }];
      }
      case 'GrantRole': {
        if (state.status === 'none') return invalid('IDENTITY.UNKNOWN_USER', 'no such user');
        const refused = requireAdmin(command.by, command.userId);
        if (refused) return refused;
        if (state.roles.includes(command.role)) return [];
        return [{ type: 'identity.RoleGranted', data: { userId: command.userId, role: command.role, grantedBy: command.by.id, at: command.now } }];
      }
      case 'RevokeRole': {
        if (state.status === 'none') return invalid('IDENTITY.UNKNOWN_USER', 'no such user');
        const refused = requireAdmin(command.by, command.userId);
        if (refused) return refused;
        if (!state.roles.includes(command.role)) return [];
        return [{ type: 'identity.RoleRevoked', data: { userId: command.userId, role: command.role, revokedBy: command.by.id, at: command.now } }];
      }
      case 'ShredPersonalData': {
        if (state.status === 'none') return invalid('IDENTITY.UNKNOWN_USER', 'no such user');
        if (!command.by.roles.includes('compliance_officer')) return forbidden('IDENTITY.SHREDDING_COMPLIANCE_ONLY', 'personal data is shredded by a compliance officer', 'E3');
        if (!command.reason.trim()) return invalid('IDENTITY.SHRED_REASON_REQUIRED', 'a deletion states its legal ground', 'E3');
        if (state.personalDataShredded) return [];
        return [
          {
            type: 'identity.PersonalDataShredded',
            data: { userId: command.userId, piiRef: state.piiRef, reason: command.reason.trim(), shreddedBy: command.by.id, at: command.now },
          },
        ];
      }
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case USER_REGISTERED:
        return { status: 'registered', userId: event.data.userId, roles: [...event.data.roles], piiRef: event.data.piiRef ?? null, personalDataShredded: false };
      case 'identity.RoleGranted':
        return state.status === 'registered' ? { ...state, roles: [...state.roles, event.data.role] } : state;
      case 'identity.RoleRevoked':
        return state.status === 'registered' ? { ...state, roles: state.roles.filter((role) => role !== event.data.role) } : state;
      case 'identity.PersonalDataShredded':
        return state.status === 'registered' ? { ...state, personalDataShredded: true } : state;
    }
  },
};

export const userStream = (userId: string) => `user-${userId}`;
