// The layering of DESIGN.md and issue 12, checked on every `npm run lint` (and so in CI): each rule names a layer
// and what it may not import. Tests, benches and scripts are not cruised: they may reach any layer.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-imports-nothing-of-ours',
      comment: 'The domain (resources, graph, findings) is the core: it imports no other layer of ours.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: '^(src|functions)/', pathNot: '^src/domain/' },
    },
    {
      name: 'rules-only-domain-and-define-rule',
      comment: 'A rule is pure: it reads the domain through define-rule and its own group, nothing else.',
      severity: 'error',
      from: { path: '^src/rules/' },
      to: { path: '^(src|functions)/', pathNot: '^src/(domain|rules)/' },
    },
    {
      name: 'engine-no-adapters-or-app',
      comment: 'The engine judges and reconciles, pure: no I/O adapters, no use cases.',
      severity: 'error',
      from: { path: '^src/engine/' },
      to: { path: '^(src/(adapters|app|cli)|functions)/' },
    },
    {
      name: 'report-imports-nothing-above',
      comment: 'Renderers take findings and print them: no use cases, adapters or entry points.',
      severity: 'error',
      from: { path: '^src/(report|alerts)/' },
      to: { path: '^(src/(adapters|app|cli)|functions)/' },
    },
    {
      name: 'app-no-adapters',
      comment: 'Use cases talk to the world through ports; the entry points hand them adapters.',
      severity: 'error',
      from: { path: '^src/app/' },
      to: { path: '^src/adapters/' },
    },
    {
      name: 'adapters-never-app-or-functions',
      comment: 'Adapters implement ports; they never call the use cases or the entry points.',
      severity: 'error',
      from: { path: '^src/adapters/' },
      to: { path: '^(src/(app|cli)|functions)/' },
    },
    {
      name: 'nothing-imports-functions',
      comment:
        'functions/ are entry points (the Functions Framework loads them): nothing of ours imports them.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^functions/' },
    },
    {
      name: 'nothing-imports-cli',
      comment: 'src/cli is an entry point (bin/gatewarden.js runs it): only the CLI itself imports it.',
      severity: 'error',
      from: { path: '^(src|functions)/', pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'no-cycles',
      comment: 'An import circle means two modules are one: merge them or move what both need below both.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // TypeScript 7's compiler has no JavaScript API for dependency-cruiser to use; swc parses the sources instead.
    parser: 'swc',
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
  },
};
