export * from './policy';
export * from './consent';
export * from './delivery';
export * from './compliance';
export * from './campaign';
