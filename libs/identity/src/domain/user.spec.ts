import { DomainError } from '@app/common';
import { UserCommand, UserEvent, upcastUserRegisteredV1, userDecider } from './user';

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
const ref = 'pii:u1:r1';
const registered: UserEvent = {
  type: 'identity.UserRegistered',
  schemaVersion: 2,
  data: { userId: 'u1', roles: ['investor'], registeredAt: now, piiRef: ref },
};
const register: UserCommand = { type: 'RegisterUser', userId: 'u1', piiRef: ref, roles: ['investor'], now };
const officer = { id: 'officer-1', roles: ['compliance_officer'] };
const admin = { id: 'admin-1', roles: ['admin'] };

describe('user decider', () => {
  it('registers a new user once', () => {
    given().when(register).then([registered]);
    given(registered).when(register).thenFails('IDENTITY.USER_EXISTS');
  });

  it('E3: a registration carries the vault reference, never the email, name or date of birth', () => {
    given().when(register).then([registered]);
    expect(Object.keys(registered.data).sort()).toEqual(['piiRef', 'registeredAt', 'roles', 'userId']);
  });

  it('E3: reads a version 1 registration, which carried the personal data, as version 2 with that data as legacy', () => {
    const v1 = {
      userId: 'u0',
      email: 'old@example.com',
      displayName: 'Old',
      roles: ['investor'],
      dateOfBirth: '1990-05-01',
      registeredAt: now,
    };
    const upcast = upcastUserRegisteredV1(v1);
    expect(upcast).toEqual({
      userId: 'u0',
      roles: ['investor'],
      registeredAt: now,
      piiRef: null,
      legacyPersonalData: { email: 'old@example.com', displayName: 'Old', dateOfBirth: '1990-05-01' },
    });
    expect(v1.email).toBe('old@example.com');
    const state = userDecider.evolve(userDecider.initialState, { type: 'identity.UserRegistered', data: upcast as never });
    expect(state).toEqual({ status: 'registered', userId: 'u0', roles: ['investor'], piiRef: null, personalDataShredded: false });
  });

  it("E3: a compliance officer shreds a user's personal data once, with a reason", () => {
    const shred = (by = officer, reason = 'PIPL 47 deletion request'): UserCommand => ({
      type: 'ShredPersonalData',
      userId: 'u1',
      reason,
      by,
      now,
    });
    const shredded: UserEvent = {
      type: 'identity.PersonalDataShredded',
      data: { userId: 'u1', piiRef: ref, reason: 'PIPL 47 deletion request', shreddedBy: 'officer-1', at: now },
    };
    given(registered).when(shred()).then([shredded]);
    given(registered, shredded).when(shred()).then([]);
    given(registered).when(shred(officer, ' ')).thenFails('IDENTITY.SHRED_REASON_REQUIRED');
    given(registered).when(shred(admin)).thenFails('IDENTITY.SHREDDING_COMPLIANCE_ONLY');
    given().when(shred()).thenFails('IDENTITY.UNKNOWN_USER');
  });

  it('lets only an admin grant a role, and never to themselves', () => {
    given(registered)
      .when({ type: 'GrantRole', userId: 'u1', role: 'advisor', by: admin, now })
      .then([{ type: 'identity.RoleGranted', data: { userId: 'u1', role: 'advisor', grantedBy: 'admin-1', at: now } }]);
    given(registered)
      .when({ type: 'GrantRole', userId: 'u1', role: 'admin', by: { id: 'x', roles: ['compliance_officer'] }, now })
      .thenFails('IDENTITY.ADMIN_ONLY');
    given(registered)
      .when({ type: 'GrantRole', userId: 'u1', role: 'admin', by: { id: 'u1', roles: ['admin'] }, now })
      .thenFails('IDENTITY.SELF_ROLE_CHANGE');
  });

  it('treats granting a held role or revoking a missing one as a no-op', () => {
    given(registered).when({ type: 'GrantRole', userId: 'u1', role: 'investor', by: admin, now }).then([]);
    given(registered).when({ type: 'RevokeRole', userId: 'u1', role: 'advisor', by: admin, now }).then([]);
  });

  describe('disabling and enabling a user', () => {
    const adminState = {
      status: 'registered' as const,
      userId: 'admin-1',
      roles: ['admin' as const],
      piiRef: null,
      personalDataShredded: false,
    };
    const disabled: UserEvent = {
      type: 'identity.UserDisabled',
      data: { userId: 'u1', disabledBy: 'admin-1', reason: 'stolen laptop', at: now },
    };

    it('records who disabled the user and why, once', () => {
      given(registered)
        .when({ type: 'DisableUser', userId: 'u1', by: admin, actorState: adminState, reason: 'stolen laptop', now })
        .then([disabled]);
      given(registered, disabled)
        .when({ type: 'DisableUser', userId: 'u1', by: admin, actorState: adminState, reason: 'again', now })
        .then([]);
    });

    it('re-enables only a disabled user', () => {
      given(registered, disabled)
        .when({ type: 'EnableUser', userId: 'u1', by: admin, actorState: adminState, reason: 'laptop found', now })
        .then([{ type: 'identity.UserEnabled', data: { userId: 'u1', enabledBy: 'admin-1', reason: 'laptop found', at: now } }]);
      given(registered).when({ type: 'EnableUser', userId: 'u1', by: admin, actorState: adminState, reason: 'x', now }).then([]);
    });

    it('refuses an admin disabling themselves, so the last admin cannot lock everyone out', () => {
      given(registered)
        .when({ type: 'DisableUser', userId: 'admin-1', by: admin, actorState: { status: 'none' }, reason: 'x', now })
        .thenFails('IDENTITY.SELF_DISABLE');
    });

    it('refuses anyone who is not an enabled admin by the log, whatever their token says', () => {
      given(registered)
        .when({
          type: 'DisableUser',
          userId: 'u1',
          by: { id: 'x', roles: ['compliance_officer'] },
          actorState: adminState,
          reason: 'x',
          now,
        })
        .thenFails('IDENTITY.ADMIN_ONLY');
      given(registered)
        .when({ type: 'DisableUser', userId: 'u1', by: admin, actorState: { ...adminState, disabled: true }, reason: 'x', now })
        .thenFails('IDENTITY.ADMIN_ONLY');
      given(registered)
        .when({ type: 'DisableUser', userId: 'u1', by: admin, actorState: { ...adminState, roles: ['investor'] }, reason: 'x', now })
        .thenFails('IDENTITY.ADMIN_ONLY');
    });
  });

  it('records a password change, a logout and a lockout for a registered user only', () => {
    given(registered)
      .when({ type: 'RecordPasswordChange', userId: 'u1', now })
      .then([{ type: 'identity.PasswordChanged', data: { userId: 'u1', at: now } }]);
    given(registered)
      .when({ type: 'EndSession', userId: 'u1', sessionId: 's1', expiresAt: now, now })
      .then([{ type: 'identity.SessionEnded', data: { userId: 'u1', sessionId: 's1', expiresAt: now, at: now } }]);
    given(registered)
      .when({ type: 'RecordLockout', userId: 'u1', failures: 10, until: now, now })
      .then([{ type: 'identity.LoginLockedOut', data: { userId: 'u1', failures: 10, until: now, at: now } }]);
    given().when({ type: 'EndSessions', userId: 'u1', by: admin, now }).thenFails('IDENTITY.UNKNOWN_USER');
  });

  it('a new session is recorded with its id, expiry and (at most 200 characters of) user agent; none for a disabled user', () => {
    given(registered)
      .when({ type: 'StartSession', userId: 'u1', sessionId: 's1', expiresAt: now, userAgent: 'x'.repeat(300), now })
      .then([
        { type: 'identity.SessionStarted', data: { userId: 'u1', sessionId: 's1', expiresAt: now, userAgent: 'x'.repeat(200), at: now } },
      ]);
    given(registered, { type: 'identity.UserDisabled', data: { userId: 'u1', disabledBy: 'admin', reason: 'stolen', at: now } })
      .when({ type: 'StartSession', userId: 'u1', sessionId: 's2', expiresAt: now, userAgent: null, now })
      .thenFails('AUTH.USER_DISABLED');
    given()
      .when({ type: 'StartSession', userId: 'u1', sessionId: 's1', expiresAt: now, userAgent: null, now })
      .thenFails('IDENTITY.UNKNOWN_USER');
  });
});
