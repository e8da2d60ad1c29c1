import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

/**
 * Package boundaries. Published code (src/) of a backend, the wrapper and the adapters may
 * depend on core only; their tests may also use the conformance suite and the test-services
 * harness, and the wrapper's and adapters' tests run over real backends. A backend never
 * imports another backend, in src or in tests.
 */
const boundaries = (depConstraints, extra = {}) => [
  'error',
  {
    enforceBuildableLibDependency: true,
    allow: [],
    depConstraints,
    // Node packages, not bundles: an `await import()` of a workspace package (the CLI loads a
    // backend only when asked for it) is about start-up time, not code splitting, so a static
    // import of the same package elsewhere is fine.
    checkDynamicDependenciesExceptions: ['@sessions/*'],
    ...extra,
  },
];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  { ignores: ['**/dist', '**/out-tsc', '**/node_modules', '**/vitest.config.ts', '**/*.mjs'] },
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      // Off: the compiler runs with noUncheckedIndexedAccess, so every indexed read is
      // `T | undefined`; after a loop bound or a length check proves the index in range, `!`
      // states that proof. This rule cannot see the proof and only pushes code towards
      // redundant runtime checks, so the codebase relies on the compiler here.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // A leading underscore marks a binding kept on purpose (a destructured field left out of
      // a copy, a positional parameter an interface requires).
      '@typescript-eslint/no-unused-vars': ['warn', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true }],
      'no-console': 'error',
      '@nx/enforce-module-boundaries': boundaries([
        { sourceTag: 'type:core', onlyDependOnLibsWithTags: [] },
        { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:core'] },
        { sourceTag: 'type:backend', onlyDependOnLibsWithTags: ['type:core'] },
        { sourceTag: 'type:wrapper', onlyDependOnLibsWithTags: ['type:core'] },
        { sourceTag: 'type:adapter', onlyDependOnLibsWithTags: ['type:core'] },
        { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['*'] },
      ]),
    },
  },
  {
    files: ['**/test/**/*.ts', '**/*.test.ts'],
    rules: {
      'no-console': 'off',
      '@nx/enforce-module-boundaries': boundaries([
        { sourceTag: 'type:core', onlyDependOnLibsWithTags: ['type:core', 'type:testing'] },
        { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:core', 'type:testing'] },
        { sourceTag: 'type:backend', onlyDependOnLibsWithTags: ['type:core', 'type:testing', 'type:tool'] },
        { sourceTag: 'type:wrapper', onlyDependOnLibsWithTags: ['type:core', 'type:testing', 'type:tool', 'type:backend'] },
        { sourceTag: 'type:adapter', onlyDependOnLibsWithTags: ['type:core', 'type:testing', 'type:tool', 'type:backend'] },
        { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['*'] },
        // A test may import its own package by name: it then tests the public entry point.
      ], { allowCircularSelfDependency: true }),
    },
  },
];
