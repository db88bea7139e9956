export * from './errors';
export * from './decider';
export * from './clock';
export * from './ids';
export * from './money';
export * from './command-context';
export * from './canonical-json';
export * from './content-guard';
