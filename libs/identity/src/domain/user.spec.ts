import { DomainError } from '@app/common';
import { UserCommand, UserEvent, userDecider } from './user';

const given = (...events: UserEvent[]) => ({
  when: (command: UserCommand) => {
    const state = events.reduce(userDecider.evolve, userDecider.initialState);
    const result = userDecider.decide(command, state);
    return {
      then: (expected: UserEvent[]) => expect(result).toEqual(expected),
      thenFails: (code: string) => {
        expect(result).toBeInstanceOf(DomainError);
        expect((result as DomainError).code).toBe(code);
      },
    };
  },
});

const now = '2026-01-01T00:00:00.000Z';
const registered: UserEvent = {
  type: 'identity.UserRegistered',
  data: { userId: 'u1', email: 'a@example.com', displayName: 'A', roles: ['investor'], registeredAt: now },
};
const admin = { id: 'admin-1', roles: ['admin'] };

describe('user decider', () => {
  it('registers a new user once', () => {
    given().when({ type: 'RegisterUser', userId: 'u1', email: 'a@example.com', displayName: 'A', roles: ['investor'], now }).then([registered]);
    given(registered).when({ type: 'RegisterUser', userId: 'u1', email: 'a@example.com', displayName: 'A', roles: ['investor'], now }).thenFails('IDENTITY.USER_EXISTS');
  });

  it('lets only an admin grant a role, and never to themselves', () => {
    given(registered)
      .when({ type: 'GrantRole', userId: 'u1', role: 'advisor', by: admin, now })
      .then([{ type: 'identity.RoleGranted', data: { userId: 'u1', role: 'advisor', grantedBy: 'admin-1', at: now } }]);
    given(registered).when({ type: 'GrantRole', userId: 'u1', role: 'admin', by: { id: 'x', roles: ['compliance_officer'] }, now }).thenFails('IDENTITY.ADMIN_ONLY');
    given(registered).when({ type: 'GrantRole', userId: 'u1', role: 'admin', by: { id: 'u1', roles: ['admin'] }, now }).thenFails('IDENTITY.SELF_ROLE_CHANGE');
  });

  it('treats granting a held role or revoking a missing one as a no-op', () => {
    given(registered).when({ type: 'GrantRole', userId: 'u1', role: 'investor', by: admin, now }).then([]);
    given(registered).when({ type: 'RevokeRole', userId: 'u1', role: 'advisor', by: admin, now }).then([]);
  });

  describe('disabling and enabling a user', () => {
    const adminState = { status: 'registered' as const, userId: 'admin-1', email: 'admin@example.com', roles: ['admin' as const] };
    const disabled: UserEvent = { type: 'identity.UserDisabled', data: { userId: 'u1', disabledBy: 'admin-1', reason: 'stolen laptop', at: now } };

    it('records who disabled the user and why, once', () => {
      given(registered).when({ type: 'DisableUser', userId: 'u1', by: admin, actorState: adminState, reason: 'stolen laptop', now }).then([disabled]);
      given(registered, disabled).when({ type: 'DisableUser', userId: 'u1', by: admin, actorState: adminState, reason: 'again', now }).then([]);
    });

    it('re-enables only a disabled user', () => {
      given(registered, disabled)
        .when({ type: 'EnableUser', userId: 'u1', by: admin, actorState: adminState, reason: 'laptop found', now })
        .then([{ type: 'identity.UserEnabled', data: { userId: 'u1', enabledBy: 'admin-1', reason: 'laptop found', at: now } }]);
      given(registered).when({ type: 'EnableUser', userId: 'u1', by: admin, actorState: adminState, reason: 'x', now }).then([]);
    });

    it('refuses an admin disabling themselves, so the last admin cannot lock everyone out', () => {
      given(registered).when({ type: 'DisableUser', userId: 'admin-1', by: admin, actorState: { status: 'none' }, reason: 'x', now }).thenFails('IDENTITY.SELF_DISABLE');
    });

    it('refuses anyone who is not an enabled admin by the log, whatever their token says', () => {
      given(registered).when({ type: 'DisableUser', userId: 'u1', by: { id: 'x', roles: ['compliance_officer'] }, actorState: adminState, reason: 'x', now }).thenFails('IDENTITY.ADMIN_ONLY');
      given(registered).when({ type: 'DisableUser', userId: 'u1', by: admin, actorState: { ...adminState, disabled: true }, reason: 'x', now }).thenFails('IDENTITY.ADMIN_ONLY');
      given(registered).when({ type: 'DisableUser', userId: 'u1', by: admin, actorState: { ...adminState, roles: ['investor'] }, reason: 'x', now }).thenFails('IDENTITY.ADMIN_ONLY');
    });
  });

  it('records a password change, a logout and a lockout for a registered user only', () => {
    given(registered).when({ type: 'RecordPasswordChange', userId: 'u1', now }).then([{ type: 'identity.PasswordChanged', data: { userId: 'u1', at: now } }]);
    given(registered)
      .when({ type: 'EndSession', userId: 'u1', sessionId: 's1', expiresAt: now, now })
      .then([{ type: 'identity.SessionEnded', data: { userId: 'u1', sessionId: 's1', expiresAt: now, at: now } }]);
    given(registered)
      .when({ type: 'RecordLockout', userId: 'u1', failures: 10, until: now, now })
      .then([{ type: 'identity.LoginLockedOut', data: { userId: 'u1', failures: 10, until: now, at: now } }]);
    given().when({ type: 'EndSessions', userId: 'u1', by: admin, now }).thenFails('IDENTITY.UNKNOWN_USER');
  });
});
