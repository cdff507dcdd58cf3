// Lint: typescript-eslint's recommended rules plus the layer table of DESIGN.md.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'crypto', 'http', 'https', 'net', 'child_process', 'worker_threads', 'stream', 'events', 'url', 'util'];
const restrict = (groups) => ({ 'no-restricted-imports': ['error', { patterns: groups }] });

const noElectron = { group: ['electron', 'electron/*'], message: 'electron may be imported only in src/main and src/preload.' };
const noReact = { group: ['react', 'react-dom', 'react-dom/*', '@tanstack/react-query', 'echarts', 'echarts/*'], message: 'UI packages belong to src/renderer.' };
const noNode = { group: nodeBuiltins, message: 'Node built-ins cannot run in this layer.' };
const noStorage = { group: ['better-sqlite3', 'kysely', 'stripe', 'localtunnel'], message: 'Storage and Stripe code live in src/core.' };
const noCore = { group: ['**/core/*', '**/core', '**/server/*', '**/cli/*'], message: 'This layer may not import the engine.' };

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'resources/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  { files: ['bin/**/*.js', 'scripts/**/*.js'], languageOptions: { globals: { require: 'readonly', process: 'readonly', __dirname: 'readonly', console: 'readonly', module: 'writable' } } },
  { files: ['src/shared/**'], rules: restrict([noElectron, noReact, noNode, { group: ['better-sqlite3', 'kysely', 'stripe', 'localtunnel'], message: 'src/shared is the contract only.' }, noCore]) },
  { files: ['src/core/**', 'src/server/**', 'src/cli/**'], rules: restrict([noElectron, noReact]) },
  { files: ['src/main/**'], rules: restrict([noReact]) },
  { files: ['src/preload/**'], rules: restrict([noReact, noNode, noStorage, noCore]) },
  { files: ['src/renderer/**'], rules: restrict([noElectron, noNode, noStorage, noCore]) },
);
