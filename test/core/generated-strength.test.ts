import { describe, expect, it } from 'vitest';
import { chartProfile } from '../../src/core/chart.js';
import { generateSecret, wasGeneratedHere } from '../../src/core/generate.js';
import { passwordLibraryLoaded, passwordProblems } from '../../src/core/password.js';
import { validateValues } from '../../src/core/validate.js';
import { guideValues } from '../helpers/values.js';

// Its own file: the module state (is zxcvbn loaded?) starts fresh here.
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
