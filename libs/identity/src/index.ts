export * from './domain/user';
export { credentialRemoved } from './infrastructure/credentials';
export * from './auth/auth.decorators';
export * from './auth/guards';
export * from './identity.service';
export * from './identity.module';
export * from './projections/user-view.entity';
export { ErrorResponse } from './api/auth.dto';
export { MoneyRoute } from './throttling/throttle.guards';
