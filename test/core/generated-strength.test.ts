import { beforeAll, describe, expect, it, vi } from 'vitest';
import { guideValues } from '../helpers/values.js';

// The module state (is zxcvbn loaded?) must start fresh, whatever ran before in this worker
// (test files share their modules): new instances of the modules, imported after a reset.
let chartProfile: typeof import('../../src/core/chart.js').chartProfile;
let generateSecret: typeof import('../../src/core/generate.js').generateSecret;
let wasGeneratedHere: typeof import('../../src/core/generate.js').wasGeneratedHere;
let passwordLibraryLoaded: typeof import('../../src/core/password.js').passwordLibraryLoaded;
let passwordProblems: typeof import('../../src/core/password.js').passwordProblems;
let validateValues: typeof import('../../src/core/validate.js').validateValues;
beforeAll(async () => {
  vi.resetModules();
  ({ chartProfile } = await import('../../src/core/chart.js'));
  ({ generateSecret, wasGeneratedHere } = await import('../../src/core/generate.js'));
  ({ passwordLibraryLoaded, passwordProblems } = await import('../../src/core/password.js'));
  ({ validateValues } = await import('../../src/core/validate.js'));
});

describe('secrets this process generated', () => {
  it('are validated without loading zxcvbn', async () => {
    const v = guideValues();
    v.addAccountOperator!.users = [{ name: 'admin', secret: generateSecret(), channel: 'our-channel' }];
    expect((await validateValues(v, { profile: chartProfile() })).errors).toEqual([]);
    expect(passwordLibraryLoaded()).toBe(false);
  });

  it('are only those it generated: the same text typed in is checked in full', async () => {
    expect(wasGeneratedHere('Kx7pQ2mVn9wRt4bYz6cLh3Kx7pQ2mVn9')).toBe(false);
    const v = guideValues();
    v.addAccountOperator!.users = [{ name: 'admin', secret: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', channel: 'our-channel' }];
    const errors = (await validateValues(v, { profile: chartProfile() })).errors;
    expect(errors[0]?.message).toMatch(/^is too easy to guess/);
    expect(passwordLibraryLoaded()).toBe(true);
  });

  it('still get the cheap rules (length, similarity) when marked as known', () => {
    expect(passwordProblems('admin', 'admin', 'prod', true)).toEqual(['must be at least 20 characters (it has 5)', 'is too similar to the user name "admin"']);
  });
});
