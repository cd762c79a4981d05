/**
 * The layering of the house, checked by dependency-cruiser in `npm run lint` (`npm run lint:deps`).
 * Why this tool and not eslint import rules: docs/decisions/0004-layering-check.md. What the rules mean:
 * docs/architecture.md, "Rules of the house". test/lint/layering.test.ts plants a violation of each
 * rule in a small temporary tree and checks this file still reports it.
 *
 * Type-only imports count (`tsPreCompilationDeps`): a type knot is still a knot.
 */

/** The pure core: it decides, it touches nothing. */
const core = [
  '^src/(manifest|plan|codemod|data|report)/',
  '^src/rollout/(decide[^/]*|decision|breaker|policy|model|marker|trial|upkeep|nudge)\\.ts$',
  '^src/rollout/gates/',
];

/** What the core never imports: adapters, store implementations, entry points, demo, simulation. */
const outerRings = [
  '^src/forge/(github|local|memory)/',
  '^src/store/(sqlite|json-file|memory)/',
  '^src/(app|cli|action)/',
  '^src/(demo|simulate)/',
  '^src/agent/',
];

/** The frameworks the core takes as ports instead. */
const frameworks = ['(^|/)node_modules/(probot|@octokit/[^/]+|@actions/[^/]+|better-sqlite3)/'];

export default {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycle in src/, value or type: every folder and file can be read bottom-up.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'core-imports-no-adapter',
      severity: 'error',
      comment: 'The core imports no adapter, store implementation, entry point, demo or simulation: take a port as an argument.',
      from: { path: core },
      to: { path: outerRings },
    },
    {
      name: 'core-imports-no-framework',
      severity: 'error',
      comment: 'The core imports no framework (probot, Octokit, the Actions toolkit, better-sqlite3).',
      from: { path: core },
      to: { path: frameworks },
    },
    {
      name: 'forge-imports-no-metrics',
      severity: 'error',
      comment: 'A forge reports through a hook the entry point connects to the metrics, never the registry itself.',
      from: { path: '^src/forge/' },
      to: { path: '^src/metrics/' },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs', '.json'], conditionNames: ['import', 'require', 'node', 'default'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
