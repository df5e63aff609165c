// Lint: the recommended JavaScript and typescript-eslint rules, no type-aware rules (kept fast).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'docs/api/**', 'node_modules/**', 'coverage/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-this-alias': 'off',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    // Inside lib/, take another module's names from the file that defines them: the CommonJS
    // build turns an index's re-exports into getters, which cost 4x on hot paths (CONTRIBUTING.md).
    files: ['lib/**/*.ts'],
    ignores: ['lib/*/index.ts', 'lib/index.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '^\\.\\./[A-Za-z]+/index\\.js$', message: "Import from the module's defining file (e.g. '../failure/failure.js'), not its index: see CONTRIBUTING.md." }] }],
    },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  {
    files: ['spec/**', 'bench/**', 'examples/**', 'scripts/**'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-expressions': 'off',
    },
  },
);
