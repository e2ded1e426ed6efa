/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // ts-jest reads tsconfig.json, whose isolatedModules makes it transpile only; `npm run typecheck` checks types.
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: { sourceMap: true } }] },
  testTimeout: 60000,
  // Downloads the pinned upstream fixtures once when neither MINIO_SSE_FIXTURES_DIR nor ../shared is there.
  globalSetup: '<rootDir>/test/support/jest-global-setup.ts',
  // Both cores: jest's default is cores - 1, one worker on a 2-core machine.
  maxWorkers: 2,
};
