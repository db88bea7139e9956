import { Decider, DomainEvent, forbidden, invalid, conflict } from '@app/common';

/** Users are event-sourced. Credentials (the password hash) are kept out of the log, in a table of their own. */
export const ROLES = ['investor', 'product_manager', 'compliance_officer', 'advisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export type UserEvent =
  | DomainEvent<'identity.UserRegistered', { userId: string; email: string; displayName: string; roles: Role[]; dateOfBirth?: string; registeredAt: string }>
  | DomainEvent<'identity.RoleGranted', { userId: string; role: Role; grantedBy: string; at: string }>
  | DomainEvent<'identity.RoleRevoked', { userId: string; role: Role; revokedBy: string; at: string }>;

export type UserCommand =
  | { type: 'RegisterUser'; userId: string; email: string; displayName: string; roles: Role[]; dateOfBirth?: string; now: string }
  | { type: 'GrantRole'; userId: string; role: Role; by: { id: string; roles: readonly string[] }; now: string }
  | { type: 'RevokeRole'; userId: string; role: Role; by: { id: string; roles: readonly string[] }; now: string };

export type UserState = { status: 'none' } | { status: 'registered'; userId: string; email: string; roles: Role[] };

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
    }
  },
};

export const userStream = (userId: string) => `user-${userId}`;
