/** Pure tests only (no database): `npx jest -c jest.unit.config.js <path>`. */
const base = require('./jest.config');
module.exports = { ...base, globalSetup: undefined, globalTeardown: undefined };
