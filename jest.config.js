/** Three suites: unit (*.spec.ts, no I/O), integration (*.int-spec.ts, real PostgreSQL/Redis) and end to end
 * (*.e2e-spec.ts, the apps over HTTP). Integration and e2e share a migrated template database per run. */
const swc = [
  '@swc/jest',
  {
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

// Node 20 can require() these ES modules; jest cannot, so they are compiled to CommonJS on the way in.
const ESM_PACKAGES = ['content-disposition'];
const swcJs = [
  '@swc/jest',
  { jsc: { target: 'es2022', parser: { syntax: 'ecmascript' } }, module: { type: 'commonjs' } },
];

const moduleNameMapper = {
  '^@rt/(config|database|health|jobs|logging|notifications|testing)$': '<rootDir>/libs/$1/src',
  '^@rt/domain$': '<rootDir>/libs/domain/src',
  '^@rt/domain/(.*)$': '<rootDir>/libs/domain/src/$1',
};

const common = {
  rootDir: __dirname,
  transform: { '^.+\\.ts$': swc, [`/node_modules/(${ESM_PACKAGES.join('|')})/.+\\.js$`]: swcJs },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_PACKAGES.join('|')})/)`],
  moduleNameMapper,
  testEnvironment: 'node',
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
};

module.exports = {
  /**
   * A guard against a hang, not a measure of speed (benchmarks measure speed). Integration and end-to-end tests share
   * the machine with PostgreSQL, Redis, Chromium and a second test file, so jest's 5 s default failed healthy tests
   * (ten argon2 sign-ins in a row) on a busy 2-core machine. Jest reads it only here, not per project.
   */
  testTimeout: 30_000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,migrations}/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps,libs,migrations}/**/*.int-spec.ts'],
      globalSetup: '<rootDir>/libs/testing/src/global-setup.ts',
      globalTeardown: '<rootDir>/libs/testing/src/global-teardown.ts',
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/{apps,libs,test}/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/libs/testing/src/global-setup.ts',
      globalTeardown: '<rootDir>/libs/testing/src/global-teardown.ts',
    },
  ],
};
