import { Decider, DomainEvent, forbidden, invalid, conflict } from '@app/common';

/** Users are event-sourced. Credentials (the password hash) are kept out of the log, in a table of their own. */
export const ROLES = ['investor', 'product_manager', 'compliance_officer', 'advisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export type UserEvent =
  | DomainEvent<'identity.UserRegistered', { userId: string; email: string; displayName: string; roles: Role[]; dateOfBirth?: string; registeredAt: string }>
  | DomainEvent<'identity.RoleGranted', { userId: string; role: Role; grantedBy: string; at: string }>
  | DomainEvent<'identity.RoleRevoked', { userId: string; role: Role; revokedBy: string; at: string }>
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
  | DomainEvent<'identity.LoginLockedOut', { userId: string; failures: number; until: string; at: string }>;

export type Actor = { id: string; roles: readonly string[] };

export type UserCommand =
  | { type: 'RegisterUser'; userId: string; email: string; displayName: string; roles: Role[]; dateOfBirth?: string; now: string }
  | { type: 'GrantRole'; userId: string; role: Role; by: { id: string; roles: readonly string[] }; now: string }
  | { type: 'RevokeRole'; userId: string; role: Role; by: { id: string; roles: readonly string[] }; now: string }
  /** `actorState`: the acting admin's own user, as the log has it (a disabled admin disables no one). */
  | { type: 'DisableUser'; userId: string; by: Actor; actorState: UserState; reason: string; now: string }
  | { type: 'EnableUser'; userId: string; by: Actor; actorState: UserState; reason: string; now: string }
  | { type: 'RecordPasswordChange'; userId: string; now: string }
  | { type: 'EndSessions'; userId: string; by: Actor; now: string }
  | { type: 'EndSession'; userId: string; sessionId: string; expiresAt: string; now: string }
  | { type: 'RecordLockout'; userId: string; failures: number; until: string; now: string };

export type UserState = { status: 'none' } | { status: 'registered'; userId: string; email: string; roles: Role[]; disabled?: boolean };

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
        const { userId, email, displayName, roles, dateOfBirth, now } = command;
        return [{ type: 'identity.UserRegistered', data: { userId, email, displayName, roles, ...(dateOfBirth ? { dateOfBirth } : {}), registeredAt: now } }];
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
      case 'RecordLockout': {
        if (state.status === 'none') return invalid('IDENTITY.UNKNOWN_USER', 'no such user');
        const { userId, failures, until, now: at } = command;
        return [{ type: 'identity.LoginLockedOut', data: { userId, failures, until, at } }];
      }
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'identity.UserRegistered':
        return { status: 'registered', userId: event.data.userId, email: event.data.email, roles: [...event.data.roles] };
      case 'identity.RoleGranted':
        return state.status === 'registered' ? { ...state, roles: [...state.roles, event.data.role] } : state;
      case 'identity.RoleRevoked':
        return state.status === 'registered' ? { ...state, roles: state.roles.filter((role) => role !== event.data.role) } : state;
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
