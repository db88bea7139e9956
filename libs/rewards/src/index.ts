export * from './domain/points-ledger';
export * from './domain/check-in';
export * from './domain/up-down-game';
export * from './domain/budget';
export * from './domain/redemption';
export * from './application/jobs/rewards-jobs';
export * from './rewards.module';
