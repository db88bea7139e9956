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
  | DomainEvent<'identity.PersonalDataShredded', { userId: string; piiRef: string | null; reason: string; shreddedBy: string; at: string }>
  | SessionEvent;

/**
 * What ends sessions, and the account lockout. Each is kept in the user's stream with who did it and why: an admin's
 * disable or enable, the user's password change or logout, a lockout after repeated failed logins.
 */
export type SessionEvent =
  | DomainEvent<'identity.UserDisabled', { userId: string; disabledBy: string; reason: string; at: string }>
  | DomainEvent<'identity.UserEnabled', { userId: string; enabledBy: string; reason: string; at: string }>
  | DomainEvent<'identity.PasswordChanged', { userId: string; at: string }>
  | DomainEvent<'identity.SessionsEnded', { userId: string; endedBy: string; at: string }>
  | DomainEvent<'identity.SessionEnded', { userId: string; sessionId: string; expiresAt: string; at: string }>
  /** A token was issued for a new session (a login, a password change): what the admin's session list shows. */
  | DomainEvent<'identity.SessionStarted', { userId: string; sessionId: string; expiresAt: string; userAgent: string | null; at: string }>
  | DomainEvent<'identity.LoginLockedOut', { userId: string; failures: number; until: string; at: string }>;

export type Actor = { id: string; roles: readonly string[] };

export type UserCommand =
  | { type: 'RegisterUser'; userId: string; piiRef: string; roles: Role[]; now: string }
  | { type: 'GrantRole'; userId: string; role: Role; by: { id: string; roles: readonly string[] }; now: string }
  | { type: 'RevokeRole'; userId: string; role: Role; by: { id: string; roles: readonly string[] }; now: string }
  | { type: 'ShredPersonalData'; userId: string; reason: string; by: { id: string; roles: readonly string[] }; now: string }
  /** `actorState`: the acting admin's own user, as the log has it (a disabled admin disables no one). */
  | { type: 'DisableUser'; userId: string; by: Actor; actorState: UserState; reason: string; now: string }
  | { type: 'EnableUser'; userId: string; by: Actor; actorState: UserState; reason: string; now: string }
  | { type: 'RecordPasswordChange'; userId: string; now: string }
  | { type: 'EndSessions'; userId: string; by: Actor; now: string }
  | { type: 'EndSession'; userId: string; sessionId: string; expiresAt: string; now: string }
  | { type: 'StartSession'; userId: string; sessionId: string; expiresAt: string; userAgent: string | null; now: string }
  | { type: 'RecordLockout'; userId: string; failures: number; until: string; now: string };

export type UserState =
  | { status: 'none' }
  | { status: 'registered'; userId: string; roles: Role[]; piiRef: string | null; personalDataShredded: boolean; disabled?: boolean };

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
        return [
          { type: 'identity.RoleGranted', data: { userId: command.userId, role: command.role, grantedBy: command.by.id, at: command.now } },
        ];
      }
      case 'RevokeRole': {
        if (state.status === 'none') return invalid('IDENTITY.UNKNOWN_USER', 'no such user');
        const refused = requireAdmin(command.by, command.userId);
        if (refused) return refused;
        if (!state.roles.includes(command.role)) return [];
        return [
          { type: 'identity.RoleRevoked', data: { userId: command.userId, role: command.role, revokedBy: command.by.id, at: command.now } },
        ];
      }
      case 'ShredPersonalData': {
        if (state.status === 'none') return invalid('IDENTITY.UNKNOWN_USER', 'no such user');
        if (!command.by.roles.includes('compliance_officer'))
          return forbidden('IDENTITY.SHREDDING_COMPLIANCE_ONLY', 'personal data is shredded by a compliance officer', 'E3');
        if (!command.reason.trim()) return invalid('IDENTITY.SHRED_REASON_REQUIRED', 'a deletion states its legal ground', 'E3');
        if (state.personalDataShredded) return [];
        return [
          {
            type: 'identity.PersonalDataShredded',
            data: {
              userId: command.userId,
              piiRef: state.piiRef,
              reason: command.reason.trim(),
              shreddedBy: command.by.id,
              at: command.now,
            },
          },
        ];
      }
      case 'DisableUser':
      case 'EnableUser': {
        if (state.status === 'none') return invalid('IDENTITY.UNKNOWN_USER', 'no such user');
        // Nobody disables themselves: the acting admin stays enabled, so there is always one admin left.
        if (command.by.id === command.userId) return forbidden('IDENTITY.SELF_DISABLE', 'an admin cannot disable or enable themselves');
        const actor = command.actorState;
        if (!command.by.roles.includes('admin') || actor.status !== 'registered' || actor.disabled || !actor.roles.includes('admin')) {
          return forbidden('IDENTITY.ADMIN_ONLY', 'only an enabled admin disables or enables users');
        }
        const { userId, reason, now: at } = command;
        if (command.type === 'DisableUser') {
          return state.disabled ? [] : [{ type: 'identity.UserDisabled', data: { userId, disabledBy: command.by.id, reason, at } }];
        }
        return state.disabled ? [{ type: 'identity.UserEnabled', data: { userId, enabledBy: command.by.id, reason, at } }] : [];
      }
      case 'RecordPasswordChange':
        if (state.status === 'none') return invalid('IDENTITY.UNKNOWN_USER', 'no such user');
        return [{ type: 'identity.PasswordChanged', data: { userId: command.userId, at: command.now } }];
      case 'EndSessions':
        if (state.status === 'none') return invalid('IDENTITY.UNKNOWN_USER', 'no such user');
        return [{ type: 'identity.SessionsEnded', data: { userId: command.userId, endedBy: command.by.id, at: command.now } }];
      case 'EndSession': {
        if (state.status === 'none') return invalid('IDENTITY.UNKNOWN_USER', 'no such user');
        const { userId, sessionId, expiresAt, now: at } = command;
        return [{ type: 'identity.SessionEnded', data: { userId, sessionId, expiresAt, at } }];
      }
      case 'StartSession': {
        if (state.status === 'none') return invalid('IDENTITY.UNKNOWN_USER', 'no such user');
        if (state.disabled) return forbidden('AUTH.USER_DISABLED', 'this account is disabled');
        const { userId, sessionId, expiresAt, now: at } = command;
        // Only the first 200 characters of a user agent are kept: enough to tell devices apart, not a fingerprint store.
        const userAgent = command.userAgent ? command.userAgent.slice(0, 200) : null;
        return [{ type: 'identity.SessionStarted', data: { userId, sessionId, expiresAt, userAgent, at } }];
      }
      case 'RecordLockout': {
        if (state.status === 'none') return invalid('IDENTITY.UNKNOWN_USER', 'no such user');
        const { userId, failures, until, now: at } = command;
        return [{ type: 'identity.LoginLockedOut', data: { userId, failures, until, at } }];
      }
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case USER_REGISTERED:
        return {
          status: 'registered',
          userId: event.data.userId,
          roles: [...event.data.roles],
          piiRef: event.data.piiRef ?? null,
          personalDataShredded: false,
        };
      case 'identity.RoleGranted':
        return state.status === 'registered' ? { ...state, roles: [...state.roles, event.data.role] } : state;
      case 'identity.RoleRevoked':
        return state.status === 'registered' ? { ...state, roles: state.roles.filter((role) => role !== event.data.role) } : state;
      case 'identity.PersonalDataShredded':
        return state.status === 'registered' ? { ...state, personalDataShredded: true } : state;
      case 'identity.UserDisabled':
        return state.status === 'registered' ? { ...state, disabled: true } : state;
      case 'identity.UserEnabled':
        return state.status === 'registered' ? { ...state, disabled: false } : state;
      default:
        return state;
    }
  },
};

export const userStream = (userId: string) => `user-${userId}`;
