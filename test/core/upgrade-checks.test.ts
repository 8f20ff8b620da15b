import { describe, expect, it } from 'vitest';
import { chartProfile } from '../../src/core/chart.js';
import { accountNamesInSecret, accountNamesInValues, describeDropped, droppedAccounts } from '../../src/core/deletions.js';
import { manifestDiff } from '../../src/core/manifest-diff.js';

const profile = chartProfile();
const deployed = {
  addAccountOperator: {
    users: [{ name: 'admin', secret: 'a', channel: 'c' }, { name: 'bob', secret: 'b', channel: 'c' }, { name: 'eve', secret: 'e', channel: 'c' }],
    incomingOrganizations: [{ name: 'BioMSP', secret: 's' }],
    outgoingOrganizations: [{ name: 'BioMSP', secret: 't' }],
  },
};

describe('accounts an upgrade would delete', () => {
  it('are the deployed ones the next values no longer name, by kind', () => {
    const next = { addAccountOperator: { users: [{ name: 'admin' }, { name: 'eve' }], outgoingOrganizations: [{ name: 'BioMSP' }] } };
    const dropped = droppedAccounts(accountNamesInValues(deployed, profile), accountNamesInValues(next, profile));
    expect(dropped).toEqual({ users: ['bob'], incoming: ['BioMSP'], outgoing: [] });
    expect(describeDropped(dropped)).toEqual(['user "bob"', 'incoming organization "BioMSP"']);
  });

  it('are read from the accounts Secret the way the Job reads it (secrets mode)', () => {
    const names = accountNamesInSecret({ users: 'admin pw c\nbob pw c\n', incoming_organizations: 'Bio Technica s3cret\n', outgoing_organizations: '' });
    expect(names).toEqual({ users: ['admin', 'bob'], incoming: ['Bio Technica'], outgoing: [] });
  });
});

describe('the manifest diff of an upgrade', () => {
  const secret = (users: string) => `apiVersion: v1\nkind: Secret\nmetadata: {name: backend-add-account}\ndata:\n  users: ${Buffer.from(users).toString('base64')}\n`;
  const config = (host: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: backend-orchestrator}\ndata:\n  HOST: ${host}\n`;

  it('shows what changes object by object and never a Secret value, plain or base64', () => {
    const before = `${config('orch.old')}---\n${secret('admin Old-Password-1234567 c\n')}`;
    const after = `${config('orch.new')}---\n${secret('admin New-Password-7654321 c\n')}`;
    const lines = manifestDiff(before, after);
    const text = lines.join('\n');
    expect(text).toContain('--- ConfigMap backend-orchestrator (deployed)');
    expect(lines).toContain('-   HOST: orch.old');
    expect(lines).toContain('+   HOST: orch.new');
    expect(text).toMatch(/users: "?\*\*\* \(changed\)"?/);
    for (const secretText of ['Old-Password-1234567', 'New-Password-7654321']) {
      expect(text).not.toContain(secretText);
      expect(text).not.toContain(Buffer.from(`admin ${secretText} c\n`).toString('base64'));
    }
    expect(manifestDiff(before, before)).toEqual([]);
  });
});
