import { DomainEvent } from '@app/common';
import { refuseToken, sessionOf } from './session';

type Event = DomainEvent<string, Record<string, unknown>>;
const now = Date.parse('2026-01-01T00:00:00.000Z');
const at = new Date(now).toISOString();
const registered: Event = { type: 'identity.UserRegistered', data: { userId: 'u1', roles: ['investor', 'advisor'], registeredAt: at } };
const inAnHour = new Date(now + 3_600_000).toISOString();

const given = (...events: Event[]) => ({
  token: (claims: { sv?: number; sid?: string }) => refuseToken(sessionOf(events, now), claims)?.code ?? 'accepted',
});

describe('session state: which tokens still speak for their user', () => {
  it('accepts a token of the current version, and one from before versions existed while nothing ended it', () => {
    expect(given(registered).token({ sv: 0, sid: 's1' })).toBe('accepted');
    expect(given(registered).token({})).toBe('accepted');
  });

  it.each([
    ['a revoked role', { type: 'identity.RoleRevoked', data: { userId: 'u1', role: 'advisor', revokedBy: 'a', at } }],
    ['a password change', { type: 'identity.PasswordChanged', data: { userId: 'u1', at } }],
    ['a logout everywhere', { type: 'identity.SessionsEnded', data: { userId: 'u1', endedBy: 'u1', at } }],
  ])('ends every earlier token after %s; tokens issued afterwards count', (_name, event) => {
    expect(given(registered, event).token({ sv: 0, sid: 's1' })).toBe('AUTH.SESSION_ENDED');
    expect(given(registered, event).token({ sv: 1, sid: 's2' })).toBe('accepted');
  });

  it('keeps a granted role or a lockout from ending sessions', () => {
    const granted: Event = { type: 'identity.RoleGranted', data: { userId: 'u1', role: 'advisor', grantedBy: 'a', at } };
    const locked: Event = { type: 'identity.LoginLockedOut', data: { userId: 'u1', failures: 10, until: inAnHour, at } };
    expect(given(registered, granted, locked).token({ sv: 0 })).toBe('accepted');
  });

  it('refuses every token of a disabled user, and keeps earlier tokens ended once enabled again', () => {
    const disabled: Event = { type: 'identity.UserDisabled', data: { userId: 'u1', disabledBy: 'a', reason: 'r', at } };
    const enabled: Event = { type: 'identity.UserEnabled', data: { userId: 'u1', enabledBy: 'a', reason: 'r', at } };
    expect(given(registered, disabled).token({ sv: 1 })).toBe('AUTH.USER_DISABLED');
    expect(given(registered, disabled, enabled).token({ sv: 0 })).toBe('AUTH.SESSION_ENDED');
    expect(given(registered, disabled, enabled).token({ sv: 1 })).toBe('accepted');
  });

  it('ends one session on logout and leaves the others; forgets it once its token has expired anyway', () => {
    const loggedOut: Event = { type: 'identity.SessionEnded', data: { userId: 'u1', sessionId: 's1', expiresAt: inAnHour, at } };
    expect(given(registered, loggedOut).token({ sv: 0, sid: 's1' })).toBe('AUTH.SESSION_ENDED');
    expect(given(registered, loggedOut).token({ sv: 0, sid: 's2' })).toBe('accepted');
    const expired: Event = { type: 'identity.SessionEnded', data: { userId: 'u1', sessionId: 's1', expiresAt: at, at } };
    expect(sessionOf([registered, expired], now).ended.size).toBe(0);
  });
});
