import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { DomainError, forbidden } from '@app/common';
import { AuthenticatedUser } from '@app/platform';
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
    // An ended session or a disabled user says so; any other failure is just "no valid token".
    if (error instanceof DomainError && error.kind === 'unauthenticated') throw error;
    if (error || !user) throw unauthenticated('AUTH.UNAUTHENTICATED', 'a valid bearer token is required');
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
