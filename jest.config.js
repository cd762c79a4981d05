/**
 * Jest in native-ESM mode (Probot 14 and Octokit are ESM-only). Two tiers:
 * - `npm test` (this file): every test. Builds the Action bundle into build/action/ first
 *   (test/setup/bundle-action.mjs), which the Action tests run as a runner would.
 * - `npm run test:unit` (jest.unit.config.js): the fast tier for the inner loop.
 */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.tsx?$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json', diagnostics: false }] },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/fixtures/', '/build/'],
  modulePathIgnorePatterns: ['<rootDir>/build/', '<rootDir>/dist/'],
  globalSetup: '<rootDir>/test/setup/bundle-action.mjs',
  // Each test file releases nock's hold on node:http when it ends (test/setup/release-nock.ts).
  setupFilesAfterEnv: ['<rootDir>/test/setup/release-nock.ts'],
  testTimeout: 120000,
  maxWorkers: process.env.CI ? 2 : '50%',
};
