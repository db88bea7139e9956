/**
 * The boundaries between the contexts, checked on every `npm run lint` (and so in `npm test`):
 * `npx depcruise apps libs migrations bench test`. `libs/platform/src/dependency-rules.spec.ts` runs these rules on
 * fixtures with one violation each, so a rule that stops firing fails the suite.
 *
 * Contexts: identity, catalog, payments, value-added, advisory, audit, growth, reach, rewards, community, market-data.
 * Shared: common (pure kernel), event-store
 * (the port and its adapters), platform (Nest infrastructure).
 */
const CONTEXTS = '(identity|catalog|payments|value-added|advisory|audit|growth|reach|rewards|community|market-data)';
const TEST_CODE = ['\\.spec\\.ts$', '\\.e2e-spec\\.ts$', '\\.contract\\.ts$', '/testing/', '^test/'];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'through-public-index',
      comment: "A library reaches into another only through the other's public src/index.ts (its `@app/<name>` alias).",
      severity: 'error',
      from: { path: '^libs/([^/]+)/' },
      to: { path: '^libs/[^/]+/', pathNot: ['^libs/$1/', '^libs/[^/]+/src/index\\.ts$', '^libs/common/src/testing/index\\.ts$'] },
    },
    {
      name: 'apps-through-public-index',
      comment: 'Applications, benchmarks and migrations use a library through its public src/index.ts only.',
      severity: 'error',
      from: { path: '^(apps|bench|migrations)/', pathNot: '^apps/console/' },
      // register-paths is what makes the aliases resolve at run time, so entry points import it by path, first.
      to: { path: '^libs/[^/]+/', pathNot: ['^libs/[^/]+/src/index\\.ts$', '^libs/platform/src/register-paths\\.ts$'] },
    },
    {
      name: 'domain-is-pure',
      comment: 'domain/ code imports only its own domain/ and libs/common (no application, infrastructure or other context).',
      severity: 'error',
      from: { path: '^libs/([^/]+)/src/domain/', pathNot: TEST_CODE },
      to: { path: '^(apps|libs|migrations|bench|test)/', pathNot: ['^libs/$1/src/domain/', '^libs/common/src/'] },
    },
    {
      name: 'no-test-code-in-production',
      comment: 'Production code never imports test helpers (testing/, test/, *.spec.ts, contract suites).',
      severity: 'error',
      from: { path: '^(apps|libs|migrations|bench)/', pathNot: TEST_CODE },
      to: { path: TEST_CODE },
    },
    {
      name: 'kernel-imports-no-context',
      comment: 'common, event-store and platform sit under the contexts: they never import one.',
      severity: 'error',
      from: { path: '^libs/(common|event-store|platform)/' },
      to: { path: `^libs/${CONTEXTS}/` },
    },
    {
      name: 'common-is-the-bottom',
      comment: 'libs/common is the pure kernel: it imports no other library, application or framework.',
      severity: 'error',
      from: { path: '^libs/common/', pathNot: TEST_CODE },
      to: { path: '^(apps|libs|migrations|bench|test)/', pathNot: '^libs/common/' },
    },
    {
      name: 'migrations-only-from-the-runner',
      comment: 'Migration files are loaded by migrations/index.ts (the runner) alone; everything else goes through it.',
      severity: 'error',
      from: { pathNot: '^migrations/index\\.ts$' },
      to: { path: '^migrations/\\d{13}-[^/]+\\.ts$' },
    },
    {
      name: 'console-is-a-browser-app',
      comment:
        'The web console (apps/console) talks to the server over HTTP only, through its generated client. From the server code it ' +
        "bundles just the content guard's pure phrase check, so what it highlights is what the server refuses (V3).",
      severity: 'error',
      from: { path: '^apps/console/' },
      to: { path: '^(apps|libs|migrations|bench|test)/', pathNot: ['^apps/console/', '^libs/common/src/content-guard\\.ts$'] },
    },
    {
      name: 'no-unresolvable',
      comment: 'An import that resolves to nothing (a typo, or an alias missing from tsconfig) hides a dependency from these rules.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['node_modules', '^dist/', '^\\.data/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.tsx', '.d.ts', '.js', '.json'],
    },
  },
};
