import { Inject, Injectable } from '@nestjs/common';
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
    super({ jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(), secretOrKey: config.jwtSecret, ignoreExpiration: false });
  }

  validate(payload: { sub: string; roles: string[]; email?: string }): AuthenticatedUser {
    return { id: payload.sub, roles: payload.roles, email: payload.email };
  }
}
