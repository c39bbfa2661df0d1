// ESLint flat config: typescript-eslint's recommended rules, tuned for a Nest code base.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/', '**/node_modules/', 'data/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        URLSearchParams: 'readonly',
        fetch: 'readonly',
        setTimeout: 'readonly',
        TextEncoder: 'readonly',
        module: 'writable',
        require: 'readonly',
      },
    },
    rules: {
      // Nest modules are often empty classes carrying decorators.
      '@typescript-eslint/no-extraneous-class': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      // Off on purpose: classes injected through constructor types must stay value imports, or
      // Nest loses the decorator metadata; this rule cannot see that without type information.
      '@typescript-eslint/consistent-type-imports': 'off',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-console': ['error', { allow: ['error'] }],
    },
  },
  {
    // Below the HTTP edge, failures are domain errors; only the exception filters and the guard
    // turn them into HTTP answers (docs/architecture.md).
    files: [
      'libs/m2m/src/{tokens,clients,keys,revocation,audit,verification,rate-limit,metrics,stores,persistence,options,errors,domain,common}/**/*.ts',
    ],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@nestjs/common',
              importNames: [
                'HttpException',
                'HttpStatus',
                'BadRequestException',
                'UnauthorizedException',
                'ForbiddenException',
                'NotFoundException',
                'ConflictException',
                'Req',
                'Res',
                'Body',
              ],
              message: 'Services throw domain errors; the HTTP edge maps them to answers.',
            },
            { name: 'express', message: 'Services take framework-free input.' },
            { name: 'fastify', message: 'Services take framework-free input.' },
          ],
        },
      ],
    },
  },
  {
    // The web console runs in the browser.
    files: ['libs/m2m/console/src/**/*.ts'],
    languageOptions: {
      globals: {
        window: 'readonly',
        document: 'readonly',
        navigator: 'readonly',
        customElements: 'readonly',
        btoa: 'readonly',
        Event: 'readonly',
        CustomEvent: 'readonly',
        FormData: 'readonly',
        Intl: 'readonly',
        Response: 'readonly',
      },
    },
  },
  {
    files: ['bench/**', '.ci/**', 'test/**'],
    rules: { 'no-console': 'off' },
  },
);
