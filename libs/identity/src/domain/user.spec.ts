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
});
