import type { Reporter, SerializedError, TestModule } from 'vitest/node';

/**
 * Ends the run with the plain `N passed, N failed` line CI logs are read for. A test file that
 * fails before its tests run (a syntax error, a failing import or hook) has no failed test:
 * it is counted apart, so the line never reads as a clean run when the run was not.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError> = []): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const brokenFiles = testModules.filter((module) => module.state() === 'failed' && module.errors().length > 0).length;
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed += 1;
        else if (state === 'failed') failed += 1;
        else skipped += 1;
      }
    }
    const broken = [brokenFiles ? `${brokenFiles} test file${brokenFiles === 1 ? '' : 's'} failed to run` : '', unhandledErrors.length ? `${unhandledErrors.length} unhandled error${unhandledErrors.length === 1 ? '' : 's'}` : '']
      .filter(Boolean)
      .join(', ');
    process.stdout.write(`\ntests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}${broken ? `; ${broken}` : ''}\n`);
  }
}
