export * from './domain/periods';
export * from './domain/subscription';
export * from './domain/entitlements';
export * from './domain/tipping';
export * from './domain/coupon';
