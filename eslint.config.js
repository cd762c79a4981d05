import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['build/**', 'dist/**', 'node_modules/**', 'fixtures/**', 'test/**/fixtures/**', 'coverage/**', '**/*.d.ts'] },
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
    // The core never reaches for an adapter or a framework (docs/architecture.md).
    files: ['src/manifest/**', 'src/plan/**', 'src/codemod/**', 'src/data/**', 'src/report/**', 'src/rollout/decide*.ts', 'src/rollout/policy*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['probot', '@octokit/*', '@actions/*'], message: 'The core imports no framework; take a port as an argument.' },
          { group: ['**/forge/github/**', '**/forge/local/**', '**/app/**', '**/cli/**', '**/action/**'], message: 'The core imports no adapter or entry point.' },
        ],
      }],
    },
  },
  {
    files: ['**/*.js', 'bin/**'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
