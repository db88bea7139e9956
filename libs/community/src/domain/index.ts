export * from './advice-detector';
export * from './group';
export * from './post';
export * from './host';
export * from './live-session';
export * from './tips';
