import { describe, expect, it } from 'vitest';
import { linkOrganizations, pairingIssues, secretChangeIneffective, type OrgLinks } from '../../src/core/link.js';
import { chartProfile } from '../../src/core/chart.js';

const org = (mspID: string, channels: string[], links: Partial<Pick<OrgLinks, 'incoming' | 'outgoing'>> = {}): OrgLinks => ({
  label: `${mspID}.yaml`, mspID, channels, incomingKey: 'incomingOrganizations', outgoingKey: 'outgoingOrganizations',
  incoming: links.incoming ?? [], outgoing: links.outgoing ?? [],
});

describe('linking organizations (core)', () => {
  it('gives each ordered pair sharing a channel its own secret, on both sides, self-links included', () => {
    const orgs = [org('A', ['c']), org('B', ['c']), org('C', ['other'])];
    const report = linkOrganizations(orgs);
    expect(report.created).toBe(5); // A↔A, A→B, B→A, B↔B, C↔C
    expect(report.warnings.map((w) => w.message)).toEqual([
      'C and A share no channel: not linked (add a common channel to both)',
      'C and B share no channel: not linked (add a common channel to both)',
      'A and C share no channel: not linked (add a common channel to both)',
      'B and C share no channel: not linked (add a common channel to both)',
    ]);
    const [a, b] = orgs as [OrgLinks, OrgLinks];
    expect(a.incoming.find((e) => e.name === 'B')?.secret).toBe(b.outgoing.find((e) => e.name === 'A')?.secret);
    expect(a.incoming.find((e) => e.name === 'B')?.secret).not.toBe(a.outgoing.find((e) => e.name === 'B')?.secret);
    for (const entry of [...a.incoming, ...a.outgoing]) expect(entry.channel).toBeUndefined();
    expect(pairingIssues(orgs.slice(0, 2))).toEqual([]);
  });

  it('keeps matching secrets, completes a missing side from the other, and reports a mismatch without --fix', () => {
    const a = org('A', ['c'], { incoming: [{ name: 'B', secret: 'from-b-secret' }] });
    const b = org('B', ['c'], { outgoing: [{ name: 'A', secret: 'other-secret' }] });
    const report = linkOrganizations([a, b]);
    expect(report.mismatches).toHaveLength(1);
    const fixed = linkOrganizations([a, b], { fix: true });
    expect(fixed.fixed).toBeGreaterThan(0);
    expect(b.outgoing.find((e) => e.name === 'A')?.secret).toBe('from-b-secret');
    const again = linkOrganizations([a, b]);
    expect(again.changed.size).toBe(0);
  });

  it('refuses two organizations with one mspID', () => {
    expect(() => linkOrganizations([org('A', ['c']), org('A', ['c'])])).toThrow('two files have mspID A');
  });

  it('says a changed secret has no effect before chart 26.12.0, and nothing from 26.12.0', () => {
    expect(secretChangeIneffective(chartProfile('26.11.0'), 'link secret')).toMatch(/^chart 26\.11\.0 keeps the link secret an existing account was created with/);
    expect(secretChangeIneffective(chartProfile('26.12.0'), 'link secret')).toBeUndefined();
  });
});
