// @ts-check
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'artifacts/**', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { project: false } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ group: ['**/apps/*', '../../apps/**'], message: 'libs never import apps' }],
        },
      ],
    },
  },
  {
    files: ['libs/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'bullmq', message: 'the domain knows nothing of queues' },
            { name: 'fastify', message: 'the domain knows nothing of HTTP' },
            { name: '@nestjs/platform-fastify', message: 'the domain knows nothing of HTTP' },
            { name: '@nestjs/swagger', message: 'the domain knows nothing of HTTP' },
          ],
          patterns: [
            { group: ['@rt/jobs', '@rt/health', '**/apps/**'], message: 'the domain imports no layer above it' },
          ],
        },
      ],
    },
  },
  {
    files: ['apps/worker/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/api/**', '../../api/**'], message: 'apps never import each other' }] },
      ],
    },
  },
  {
    files: ['apps/api/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/worker/**', '../../worker/**'], message: 'apps never import each other' }] },
      ],
    },
  },
  {
    // System tests run the API and the worker side by side: the one place outside apps/ that starts them.
    files: ['test/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
