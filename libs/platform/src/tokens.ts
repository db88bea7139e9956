/** Injection tokens of the platform. */
export const APP_CONFIG = Symbol('APP_CONFIG');
