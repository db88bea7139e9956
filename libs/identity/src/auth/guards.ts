import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { forbidden } from '@app/common';
import { AuthenticatedUser, Metrics, validationPipe } from '@app/platform';
import { LoginDto } from '../api/auth.dto';
import { unauthenticated } from '../errors';
import { IS_PUBLIC, ROLES_KEY } from './auth.decorators';

/** Every route requires a valid bearer token unless marked @Public(). */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(context: ExecutionContext) {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    return isPublic ? true : super.canActivate(context);
  }

  override handleRequest<T>(error: unknown, user: T): T {
    if (error || !user) throw unauthenticated('AUTH.UNAUTHENTICATED', 'a valid bearer token is required');
    return user;
  }
}

@Injectable()
export class LocalAuthGuard extends AuthGuard('local') {
  constructor(private readonly metrics: Metrics) {
    super();
  }

  // passport-local reads the body before the route's pipes run: validate it first, so that a non-string email is a 400.
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    await validationPipe().transform(context.switchToHttp().getRequest().body, { type: 'body', metatype: LoginDto });
    return (await super.canActivate(context)) as boolean;
  }

  override handleRequest<T>(error: unknown, user: T): T {
    if (error || !user) this.metrics.loginsFailed.inc({ reason: 'invalid_credentials' });
    if (error) throw error;
    if (!user) throw unauthenticated('AUTH.INVALID_CREDENTIALS', 'email or password is wrong');
    return user;
  }
}

/** @Roles(...) on a route or controller: the user needs one of them. */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const roles = this.reflector.getAllAndOverride<string[] | undefined>(ROLES_KEY, [context.getHandler(), context.getClass()]);
    if (!roles || roles.length === 0) return true;
    const user = context.switchToHttp().getRequest().user as AuthenticatedUser | undefined;
    if (!user || !roles.some((role) => user.roles.includes(role))) {
      throw forbidden('AUTH.ROLE_REQUIRED', `this action needs one of the roles: ${roles.join(', ')}`);
    }
    return true;
  }
}
