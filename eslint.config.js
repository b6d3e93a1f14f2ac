// Lint rules the compiler does not enforce: no floating promises, no `any`, no console in services.
import tseslint from 'typescript-eslint';

const PACKAGES = ['core', 'db', 'runtime', 'services', 'api', 'cli', 'web'];

/** One rule block per layer: imports of our packages other than `allowed` (and their sub-paths) fail the lint. */
function boundaries(layers) {
  return layers.map(({ files, allowed, why }) => ({
    files,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `^@dueflow/(${PACKAGES.filter((p) => !allowed.includes(p)).join('|')})(/|$)`,
              message: why,
            },
          ],
        },
      ],
    },
  }));
}

export default tseslint.config(
  { ignores: ['**/node_modules/**', 'data/**', 'scripts/**', 'eslint.config.js', 'apps/web/.next/**', 'apps/web/next-env.d.ts'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    extends: [tseslint.configs.base],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'error',
    },
  },
  // Import boundaries between the workspaces (apps -> services -> runtime -> db -> core): each may use only
  // the layers below it, so the domain stays pure and no package reaches into an app.
  ...boundaries([
    { files: ['packages/core/**'], allowed: [], why: 'core is the pure domain: it imports nothing of ours' },
    { files: ['packages/db/**'], allowed: ['core'], why: 'db builds on core only' },
    { files: ['packages/runtime/**'], allowed: ['core', 'db'], why: 'runtime builds on core and db only' },
    { files: ['packages/services/**'], allowed: ['core', 'db', 'runtime'], why: 'services never import apps' },
    { files: ['apps/api/**'], allowed: ['core', 'db', 'runtime', 'services'], why: 'the API imports no other app' },
  ]),
  {
    // The browser bundle gets the domain's zod-free entry only (no server code, no zod at run time).
    files: ['apps/web/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^@dueflow/(?!core/browser$)', message: "the web imports only core's browser entry, @dueflow/core/browser" }] },
      ],
    },
  },
  {
    // node:test's test() and describe() return promises the runner itself awaits.
    files: ['**/test/**/*.ts'],
    rules: { '@typescript-eslint/no-floating-promises': 'off' },
  },
);
