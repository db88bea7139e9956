import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy as JwtStrategyBase } from 'passport-jwt';
import { APP_CONFIG, AppConfig, AuthenticatedUser } from '@app/platform';
import { refuseToken } from '../domain/session';
import { unauthenticated } from '../errors';
import { SessionRegistry } from '../infrastructure/session-registry';
import { JwtKeys, headerKeyId } from './jwt-keys';

/** A request's user, with the session its token belongs to (for logout). */
export interface SessionUser extends AuthenticatedUser {
  readonly sessionId?: string;
  /** When the token expires, ISO-8601. */
  readonly expiresAt: string;
}

export interface TokenPayload {
  readonly sub: string;
  readonly roles: string[];
  readonly email?: string;
  /** The user's session version when the token was issued. */
  readonly sv?: number;
  /** The session (one login or registration). */
  readonly sid?: string;
  readonly exp: number;
}

@Injectable()
export class JwtStrategy extends PassportStrategy(JwtStrategyBase, 'jwt') {
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly sessions: SessionRegistry,
  ) {
    const keys = new JwtKeys(config);
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // passport-jwt's types name string | Buffer; the verifier underneath accepts a KeyObject.
      secretOrKeyProvider: (_request: unknown, token: string, done: (error: unknown, key?: Buffer) => void) => {
        const key = keys.verifying(headerKeyId(token));
        if (key) done(null, key as unknown as Buffer);
        else done(unauthenticated('AUTH.UNAUTHENTICATED', 'a valid bearer token is required'));
      },
      algorithms: ['HS256'],
      ignoreExpiration: false,
    });
  }

  /** Every request: the token's session must still be current (a cached lookup; see SessionRegistry). */
  async validate(payload: TokenPayload): Promise<SessionUser> {
    const refusal = refuseToken(await this.sessions.state(payload.sub), payload);
    if (refusal) throw unauthenticated(refusal.code, refusal.message);
    return {
      id: payload.sub,
      roles: payload.roles,
      email: payload.email,
      sessionId: payload.sid,
      expiresAt: new Date(payload.exp * 1000).toISOString(),
    };
  }
}
