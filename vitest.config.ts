import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['./test/helpers/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // e2e suites spawn the built CLI and helm; two workers fit a 2-core machine.
    maxWorkers: 2,
    // Test files share a worker's modules: a fresh worker and a fresh import of src per file
    // cost about a third of the run. A test that needs fresh module state resets it itself
    // (vi.resetModules, as test/core/generated-strength.test.ts does).
    isolate: false,
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
