import { CanActivate, ExecutionContext, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Clock, forbidden } from '@app/common';
import { AuthenticatedUser } from '@app/platform';
import { EntitlementsService } from './entitlements.service';

const FEATURE_KEY = 'value-added:feature';

/** The route needs an entitlement to this feature (e.g. 'level2.quotes') at the current instant. */
export const RequiresEntitlement = (feature: string) => SetMetadata(FEATURE_KEY, feature);

@Injectable()
export class EntitlementGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly entitlements: EntitlementsService,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const feature = this.reflector.getAllAndOverride<string | undefined>(FEATURE_KEY, [context.getHandler(), context.getClass()]);
    if (!feature) return true;
    const request = context.switchToHttp().getRequest();
    const user = request.user as AuthenticatedUser | undefined;
    const entitlement = user ? await this.entitlements.mayUse(user.id, feature, this.clock.now()) : undefined;
    if (!entitlement) throw forbidden('ENTITLEMENT.REQUIRED', `this needs an active subscription that includes ${feature}`);
    request.entitlement = entitlement;
    return true;
  }
}
