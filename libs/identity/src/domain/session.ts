import { DomainEvent } from '@app/common';

type AnyEvent = DomainEvent<string, Record<string, unknown>>;

/**
 * Whether a token still speaks for its user. A token carries the user's session version when it was issued (`sv`) and
 * its session id (`sid`). Revoking a role, disabling the user, changing the password and "log out everywhere" each
 * raise the version, which ends every token issued before; a logout ends one session id.
 */
export interface SessionState {
  readonly version: number;
  readonly disabled: boolean;
  /** Session ids ended one by one, with when their tokens would have expired anyway (milliseconds since the epoch). */
  readonly ended: ReadonlyMap<string, number>;
}

export interface SessionClaims {
  readonly sv?: number;
  readonly sid?: string;
}

export type SessionRefusal = { code: 'AUTH.USER_DISABLED'; message: string } | { code: 'AUTH.SESSION_ENDED'; message: string };

const ENDS_EVERY_SESSION = new Set(['identity.RoleRevoked', 'identity.UserDisabled', 'identity.PasswordChanged', 'identity.SessionsEnded']);

export const initialSession: SessionState = { version: 0, disabled: false, ended: new Map() };

/** Folds a user's events; sessions ended one by one are kept only until their tokens expire (`nowMs`). */
export const evolveSession = (state: SessionState, event: AnyEvent, nowMs: number): SessionState => {
  const version = ENDS_EVERY_SESSION.has(event.type) ? state.version + 1 : state.version;
  switch (event.type) {
    case 'identity.UserDisabled':
      return { ...state, version, disabled: true };
    case 'identity.UserEnabled':
      return { ...state, disabled: false };
    case 'identity.SessionEnded': {
      const expiresAt = Date.parse(String(event.data.expiresAt));
      if (!(expiresAt > nowMs)) return state;
      return { ...state, ended: new Map([...state.ended, [String(event.data.sessionId), expiresAt]]) };
    }
    default:
      return version === state.version ? state : { ...state, version };
  }
};

export const sessionOf = (events: readonly AnyEvent[], nowMs: number): SessionState =>
  events.reduce((state, event) => evolveSession(state, event, nowMs), initialSession);

/** Why a token no longer counts, or null if it does. A token from before session versions counts as version 0. */
export const refuseToken = (state: SessionState, claims: SessionClaims): SessionRefusal | null => {
  if (state.disabled) return { code: 'AUTH.USER_DISABLED', message: 'this account is disabled' };
  if ((claims.sv ?? 0) !== state.version) return { code: 'AUTH.SESSION_ENDED', message: 'this session has ended; log in again' };
  if (claims.sid !== undefined && state.ended.has(claims.sid))
    return { code: 'AUTH.SESSION_ENDED', message: 'this session has ended; log in again' };
  return null;
};
