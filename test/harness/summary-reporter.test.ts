import { describe, expect, it, vi } from 'vitest';
import type { TestModule } from 'vitest/node';
import SummaryReporter from '../summary-reporter.js';

/** A test module as the reporter reads it: its state, its own errors, and its tests' states. */
const testModule = (state: string, errors: unknown[], tests: string[]) =>
  ({ state: () => state, errors: () => errors, children: { allTests: () => tests.map((s) => ({ result: () => ({ state: s }) })) } }) as unknown as TestModule;

describe('the summary line CI logs are read for', () => {
  it('says so when a test file failed before any of its tests ran, instead of reading as a clean run', () => {
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      new SummaryReporter().onTestRunEnd([testModule('passed', [], ['passed', 'passed']), testModule('failed', [new Error('Cannot find module')], [])], []);
      expect(write).toHaveBeenCalledWith('\ntests: 2 passed, 0 failed; 1 test file failed to run\n');
    } finally {
      write.mockRestore();
    }
  });
});
