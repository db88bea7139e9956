// Lint: TypeScript rules, plus the dependency rule that keeps every `domain/` folder pure (no framework, no database,
// no clock, no randomness).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const forbiddenInDomain = [
  '@nestjs/*',
  'typeorm',
  'pg',
  'class-validator',
  'class-transformer',
  'passport*',
  '@eventstore/*',
  'express',
  'node:fs',
  'fs',
  'node:http',
  'http',
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.data/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': ['error', { allow: ['error'] }],
    },
  },
  {
    files: ['**/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: forbiddenInDomain, message: 'domain/ code is pure: no framework, database or I/O imports' }] },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'domain/ code takes time from the command (no Date.now())',
        },
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'domain/ code takes time from the command (no new Date())',
        },
        {
          selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']",
          message: 'domain/ code takes randomness from the command (no Math.random())',
        },
      ],
    },
  },
  {
    files: ['bench/**/*.ts', 'apps/cli/**/*.ts', 'test/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
);
