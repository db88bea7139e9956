import { SetMetadata, createParamDecorator, ExecutionContext } from '@nestjs/common';
import { AuthenticatedUser, RouteAccess } from '@app/platform';
import { Role } from '../domain/user';

export const IS_PUBLIC = 'auth:public';
export const ROLES_KEY = 'auth:roles';

/** The route needs no token. */
export const Public = () => SetMetadata(IS_PUBLIC, true);
/** The route needs one of these roles (authentication is required everywhere unless @Public). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
/** The authenticated user of the request. */
export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AuthenticatedUser => context.switchToHttp().getRequest().user,
);

/**
 * The request's User-Agent header, or null: recorded with a new session so an admin can tell a user's devices apart.
 * A parameter decorator of its own (not `@Headers`), so the OpenAPI document does not list the header as required.
 */
export const UserAgent = createParamDecorator((_data: unknown, context: ExecutionContext): string | null => {
  const value: unknown = context.switchToHttp().getRequest().headers?.['user-agent'];
  return typeof value === 'string' && value.length > 0 ? value : null;
});

/** Who may call a route, read from the same metadata as JwtAuthGuard and RolesGuard (the route's, else its controller's). */
export const routeAccess = (handler: object, controller: object): RouteAccess => {
  const read = <T>(key: string): T | undefined =>
    (Reflect.getMetadata(key, handler) as T | undefined) ?? (Reflect.getMetadata(key, controller) as T | undefined);
  return { public: read<boolean>(IS_PUBLIC) === true, roles: read<string[]>(ROLES_KEY) };
};
