import { SetMetadata, createParamDecorator, ExecutionContext } from '@nestjs/common';
import { AuthenticatedUser } from '@app/platform';
import { Role } from '../domain/user';

export const IS_PUBLIC = 'auth:public';
export const ROLES_KEY = 'auth:roles';

/** The route needs no token. */
export const Public = () => SetMetadata(IS_PUBLIC, true);
/** The route needs one of these roles (authentication is required everywhere unless @Public). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
/** The authenticated user of the request. */
export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): AuthenticatedUser => context.switchToHttp().getRequest().user);
