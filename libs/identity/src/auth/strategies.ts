import { Inject, Injectable } from '@nestjs/common';
import { createSecretKey } from 'node:crypto';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy as JwtStrategyBase } from 'passport-jwt';
import { Strategy as LocalStrategyBase } from 'passport-local';
import { unauthenticated } from '../errors';
import { APP_CONFIG, AppConfig, AuthenticatedUser } from '@app/platform';
import { IdentityService } from '../identity.service';

@Injectable()
export class LocalStrategy extends PassportStrategy(LocalStrategyBase, 'local') {
  constructor(private readonly identity: IdentityService) {
    super({ usernameField: 'email', passwordField: 'password' });
  }

  async validate(email: string, password: string): Promise<AuthenticatedUser> {
    const user = await this.identity.verifyCredentials(email, password);
    if (!user) throw unauthenticated('AUTH.INVALID_CREDENTIALS', 'email or password is wrong');
    return user;
  }
}

@Injectable()
export class JwtStrategy extends PassportStrategy(JwtStrategyBase, 'jwt') {
  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    // A KeyObject made once: given a string, the JWT library tries to parse it as a public key on every request and
    // falls back to a secret key only after that throws, which costs more than the rest of a simple request.
    const key = createSecretKey(Buffer.from(config.jwtSecret, 'utf8'));
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // passport-jwt's types name string | Buffer; the verifier underneath accepts a KeyObject.
      secretOrKey: key as unknown as Buffer,
      algorithms: ['HS256'],
      ignoreExpiration: false,
    });
  }

  validate(payload: { sub: string; roles: string[]; email?: string }): AuthenticatedUser {
    return { id: payload.sub, roles: payload.roles, email: payload.email };
  }
}
