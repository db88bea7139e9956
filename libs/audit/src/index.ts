export * from './domain/merkle';
export * from './domain/compact-range';
export * from './domain/proof-builder';
export * from './domain/proof-verifier';
export * from './domain/signed-note';
export * from './domain/checkpoint';
export * from './domain/verification';
