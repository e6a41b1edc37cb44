// Lint that enforces the conventions of ../shared/docs/architecture.md: type-checked rules, and the
// layer rules (vscode-free api/chat/tools/webview; nothing imports commands/). Zero warnings in `npm test`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const vscodeFree = {
  name: 'vscode',
  message: 'This layer is vscode-free (unit-tested in plain Node or the browser): take what you need as a parameter.',
};
const commandsModule = {
  group: ['**/commands/*', '**/commands'],
  message: 'Nothing below commands/ imports it (the top floor); command ids and context keys live in src/commandIds.ts.',
};

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'esbuild.js', 'eslint.config.mjs', 'test/fixtures/language-pack-de/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-unnecessary-condition': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    files: ['src/**'],
    ignores: ['src/extension.ts', 'src/commands/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [commandsModule] }],
    },
  },
  {
    files: ['src/api/**', 'src/chat/**', 'src/tools/**', 'src/webview/**', 'src/text/**', 'src/protocol.ts', 'src/isRecord.ts', 'src/jsonAnswer.ts', 'src/linkText.ts', 'src/commandIds.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [vscodeFree], patterns: [commandsModule] }],
    },
  },
);
