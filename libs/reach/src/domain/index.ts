export * from './policy';
export * from './consent';
export * from './caps';
export * from './delivery';
export * from './compliance';
export * from './campaign';
export * from './batch';
