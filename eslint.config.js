import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'build/**',
      'dist/**',
      'node_modules/**',
      'fixtures/**',
      'test/**/fixtures/**',
      'coverage/**',
      'test-output/**',
      'bench-output/**',
      '**/*.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': 'off',
    },
  },
  {
    // The core never reaches for an adapter or a framework (docs/architecture.md). The same list as
    // .dependency-cruiser.mjs, which `npm run lint` runs over the whole import graph (type-only imports
    // and cycles included); this rule says it in the editor, at the import.
    files: [
      'src/manifest/**',
      'src/plan/**',
      'src/codemod/**',
      'src/data/**',
      'src/report/**',
      'src/rollout/decide*.ts',
      'src/rollout/decision.ts',
      'src/rollout/breaker.ts',
      'src/rollout/policy.ts',
      'src/rollout/model.ts',
      'src/rollout/marker.ts',
      'src/rollout/trial.ts',
      'src/rollout/upkeep.ts',
      'src/rollout/nudge.ts',
      'src/rollout/gates/**',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['probot', '@octokit/*', '@actions/*', 'better-sqlite3'],
              message: 'The core imports no framework; take a port as an argument.',
            },
            {
              group: [
                '**/forge/github/**',
                '**/forge/local/**',
                '**/forge/memory/**',
                '**/store/sqlite/**',
                '**/store/json-file/**',
                '**/store/memory/**',
                '**/app/**',
                '**/cli/**',
                '**/action/**',
                '**/demo/**',
                '**/simulate/**',
                '**/agent/runner*',
                '**/agent/sandbox*',
                '**/agent/scratch*',
                '**/agent/cache*',
                '**/agent/verifiers*',
              ],
              message: 'The core imports no adapter, store implementation, entry point, demo or simulation.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', 'bin/**'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
