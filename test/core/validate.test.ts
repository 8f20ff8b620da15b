import { describe, expect, it } from 'vitest';
import { chartProfile } from '../../src/core/chart.js';
import { validateValues } from '../../src/core/validate.js';
import { guideValues } from '../helpers/values.js';

const profile = chartProfile('26.15.3');
const check = (values: unknown, p = profile) => validateValues(values, { profile: p });
const lines = async (values: unknown, p = profile) => (await check(values, p)).errors.map((e) => `${e.path}: ${e.message}`);

describe('validateValues on the guide\'s values', async () => {
  it('accepts the complete example with no errors and no warnings', async () => {
    expect((await check(guideValues()))).toEqual({ errors: [], warnings: [] });
  });
});

describe('required settings and the chart defaults they would fall back to', async () => {
  it('names the channel default the chart would silently use when channels are missing', async () => {
    const v = guideValues();
    delete (v.orchestrator as Partial<typeof v.orchestrator>).channels;
    delete v.addAccountOperator;
    expect((await lines(v))).toEqual([
      'orchestrator.channels: is missing: the chart would silently use its default channel "mychannel"; add at least one (--channel)',
    ]);
  });

  it('names OwkinPeerMSP when mspID is missing', async () => {
    const v = guideValues();
    delete (v.orchestrator as Partial<typeof v.orchestrator>).mspID;
    expect((await lines(v))[0]).toMatch(/^orchestrator\.mspID: is missing: the chart would use OwkinPeerMSP/);
  });

  it('asks for a port when it is missing, since the chart default 9000 is rarely right', async () => {
    const v = guideValues();
    delete (v.orchestrator as Partial<typeof v.orchestrator>).port;
    expect((await lines(v))[0]).toMatch(/^orchestrator\.port: is missing: the chart would use 9000/);
  });

  it('refuses an empty channel list', async () => {
    const v = guideValues();
    v.orchestrator.channels = [];
    v.addAccountOperator = {};
    expect((await lines(v))).toEqual(['orchestrator.channels: must list at least one channel (--channel)']);
  });
});

describe('types the chart would misread', async () => {
  it('refuses channels written as a map instead of a list', async () => {
    const v = guideValues() as Record<string, any>;
    v.orchestrator.channels = { 'our-channel': { restricted: false, model_export_enabled: true } };
    expect((await lines(v))[0]).toMatch(/^orchestrator\.channels: must be a list of one-key maps/);
  });

  it('calls a name YAML 1.1 read as a date a date, and says to quote it (not "a map")', async () => {
    const v = guideValues() as Record<string, any>;
    v.addAccountOperator.users[0].name = new Date('2001-12-14');
    expect(await lines(v)).toEqual(['addAccountOperator.users[0].name: must be a user name (it is a date; quote it)']);
  });

  it('refuses ALLOWED_HOSTS written as a YAML list instead of a string', async () => {
    const v = guideValues() as Record<string, any>;
    v.config.ALLOWED_HOSTS = ['.cluster-1.example.com'];
    expect((await lines(v))[0]).toMatch(/^config\.ALLOWED_HOSTS: must be a string holding a JSON list/);
  });

  it('refuses ALLOWED_HOSTS that is a string but not a JSON list', async () => {
    const v = guideValues();
    v.config.ALLOWED_HOSTS = '.cluster-1.example.com';
    expect((await lines(v))).toEqual([
      `config.ALLOWED_HOSTS: must be a string holding a JSON list of hosts, such as '[".cluster-1.example.com"]' (double quotes inside, single quotes around)`,
    ]);
  });

  it('refuses ALLOWED_HOSTS that does not cover the defaultDomain host, as Django matches hosts', async () => {
    const v = guideValues();
    v.config.ALLOWED_HOSTS = '["cluster-1.example.com"]';
    const report = await check(v);
    expect(report.errors).toEqual([
      {
        path: 'server.defaultDomain',
        message: 'host "api.cluster-1.example.com" is not covered by config.ALLOWED_HOSTS: peers and the backend\'s own worker call this address and Django answers them 400; add "api.cluster-1.example.com" or ".cluster-1.example.com" to ALLOWED_HOSTS',
      },
    ]);
    expect(report.warnings.map((w) => w.path)).toEqual(['config.ALLOWED_HOSTS']);
    // An exact entry, a leading-dot parent and "*" each cover it.
    for (const hosts of ['["api.cluster-1.example.com"]', '[".example.com"]', '["*"]']) {
      v.config.ALLOWED_HOSTS = hosts;
      expect((await check(v)).errors, hosts).toEqual([]);
    }
  });

  it("accepts Substra's in-cluster layout: defaultDomain a Service address covered by extra ALLOWED_HOSTS, no warning about it", async () => {
    const v = guideValues();
    v.server.defaultDomain = 'http://backend-org-1-substra-backend-server.org-1:8000';
    v.config.ALLOWED_HOSTS = '[".cluster-1.example.com", ".org-1", ".org-1.svc.cluster.local"]';
    expect(await check(v)).toEqual({ errors: [], warnings: [] });
    v.config.ALLOWED_HOSTS = '[".cluster-1.example.com"]';
    expect((await lines(v))[0]).toMatch(/^server\.defaultDomain: host "backend-org-1-substra-backend-server\.org-1" is not covered by config\.ALLOWED_HOSTS/);
  });

  it('takes a quoted port as the port it spells (the chart prints it as text), and refuses one out of range', async () => {
    const v = guideValues() as Record<string, any>;
    v.orchestrator.port = '443';
    expect(await check(v)).toEqual({ errors: [], warnings: [] });
    v.orchestrator.port = 'https';
    expect((await lines(v))[0]).toMatch(/^orchestrator\.port: must be a whole number from 1 to 65535 \(it is a string\)/);
    v.orchestrator.port = 70000;
    expect((await lines(v))).toEqual(['orchestrator.port: must be from 1 to 65535']);
    v.orchestrator.port = 0;
    expect((await lines(v))).toEqual(['orchestrator.port: must be from 1 to 65535']);
  });

  it('refuses a boolean written as a string', async () => {
    const v = guideValues() as Record<string, any>;
    v.orchestrator.channels[0]['our-channel'].restricted = 'false';
    expect((await lines(v))[0]).toMatch(/^orchestrator\.channels\[0\]\.our-channel\.restricted: restricted must be true or false/);
  });

  it('refuses an organization name that YAML read as a number, telling to quote it', async () => {
    const v = guideValues() as Record<string, any>;
    v.organizationName = 1000;
    expect((await lines(v))[0]).toBe('organizationName: must be an organization name (it is a number; quote it)');
  });
});

describe('host names (RFC 1123)', async () => {
  it.each([
    ['Cluster-1.example.com', /must be lowercase/],
    ['cluster_1.example.com', /label "cluster_1"/],
    ['-cluster.example.com', /label "-cluster"/],
    ['cluster..example.com', /label "" must not be empty/],
    ['.cluster-1.example.com', /must not start or end with "\."/],
    ['https://cluster-1.example.com', /not a URL/],
    [`${'a'.repeat(64)}.example.com`, /at most 63 characters/],
    ['clüster.example.com', /RFC 1123/],
  ])('refuses server.commonHostDomain %j', async (domain, message) => {
    const v = guideValues();
    v.server.commonHostDomain = domain;
    const errors = (await check(v)).errors.filter((e) => e.path === 'server.commonHostDomain');
    expect(errors[0]?.message).toMatch(message);
  });

  it('accepts an in-cluster orchestrator service.namespace and an IPv4 address (in the same cluster)', async () => {
    const v = guideValues();
    v.orchestrator.sameCluster = true;
    v.orchestrator.port = 9000;
    v.orchestrator.host = 'orchestrator-server.orchestrator';
    expect(await check(v)).toEqual({ errors: [], warnings: [] });
    v.orchestrator.host = '10.0.0.12';
    expect(await check(v)).toEqual({ errors: [], warnings: [] });
  });

  it('refuses an orchestrator host with the port glued on', async () => {
    const v = guideValues();
    v.orchestrator.host = 'orchestrator.example.com:443';
    expect((await lines(v))).toEqual(['orchestrator.host: must not include the port (use the port setting)']);
  });
});

describe('cross-field rules', async () => {
  it('warns (does not refuse) mTLS with TLS off: the chart ANDs the flags and runs without mTLS', async () => {
    const v = guideValues();
    v.orchestrator.tls = { enabled: false, mtls: { enabled: true, clientCertificate: 'c' } };
    v.orchestrator.port = 80;
    const report = await check(v);
    expect(report.errors).toEqual([]);
    expect(report.warnings).toEqual([
      { path: 'orchestrator.tls.mtls.enabled', message: expect.stringContaining('the chart then runs without mTLS') },
    ]);
  });

  it('refuses mTLS without a client certificate Secret', async () => {
    const v = guideValues();
    v.orchestrator.tls!.mtls = { enabled: true };
    expect((await lines(v))[0]).toMatch(/^orchestrator\.tls\.mtls\.clientCertificate: is missing/);
  });

  it("refuses a user's channel that is not one of the channels, listing the channels", async () => {
    const v = guideValues();
    v.addAccountOperator!.users![0]!.channel = 'mychannel';
    expect((await lines(v))).toEqual(['addAccountOperator.users[0].channel: channel "mychannel" is not in orchestrator.channels (one of: our-channel)']);
  });

  it('refuses a channel on a link entry (the guide\'s way), naming the consequence', async () => {
    const v = guideValues() as Record<string, any>;
    v.addAccountOperator.incomingOrganizations[0].channel = 'our-channel';
    expect(await lines(v)).toEqual([
      'addAccountOperator.incomingOrganizations[0].channel: a link entry names no channel: the chart prints it as a third word and the backend takes the last word as the secret, so calls from "biotechnica" will be refused (401); remove the key (substra-deploy link or init --values does)',
    ]);
    delete v.addAccountOperator.incomingOrganizations[0].channel;
    v.addAccountOperator.outgoingOrganizations[0].channel = 'our-channel';
    expect((await lines(v))[0]).toMatch(/^addAccountOperator\.outgoingOrganizations\[0\]\.channel: a link entry names no channel: .* calls to "biotechnica" will be refused/);
  });

  it('refuses duplicate channel, user and organization names, pointing at both', async () => {
    const v = guideValues() as Record<string, any>;
    v.orchestrator.channels.push({ 'our-channel': { restricted: true, model_export_enabled: false } });
    v.addAccountOperator.users.push({ ...v.addAccountOperator.users[0] });
    v.addAccountOperator.outgoingOrganizations.push({ name: 'biotechnica', secret: 'Qw8eR7tY6uI5oP4aS3dF2g' });
    expect((await lines(v))).toEqual([
      'orchestrator.channels[1]: duplicate channel "our-channel" (also at orchestrator.channels[0]); remove one',
      'addAccountOperator.users[1]: duplicate user "admin" (also at addAccountOperator.users[0]); remove one',
      'addAccountOperator.outgoingOrganizations[1]: duplicate outgoing organization "biotechnica" (also at addAccountOperator.outgoingOrganizations[0]); remove one',
    ]);
  });

  it('refuses a channel entry with two names in one map', async () => {
    const v = guideValues() as Record<string, any>;
    v.orchestrator.channels = [{ a: { restricted: false, model_export_enabled: false }, b: { restricted: false, model_export_enabled: false } }];
    expect((await lines(v))[0]).toMatch(/^orchestrator\.channels\[0\]: must be a map with exactly one key/);
  });
});

describe('what the backend, the chart and the orchestrator enforce', async () => {
  it('refuses TLS without a CA object name (missing or empty), saying how to make one for a public CA', async () => {
    for (const cacert of [undefined, '', null]) {
      const v = guideValues() as Record<string, any>;
      if (cacert === undefined) delete v.orchestrator.tls.cacert;
      else v.orchestrator.tls.cacert = cacert;
      const [first] = await lines(v);
      expect(first, String(cacert)).toMatch(/^orchestrator\.tls\.cacert: is (missing|empty): with TLS on, chart 26\.15\.3 mounts this Secret in every backend pod/);
      expect(first).toContain('kubectl create secret generic orchestrator-cacert --from-file=ca.crt=/etc/ssl/certs/ca-certificates.crt');
    }
    const old = guideValues() as Record<string, any>;
    delete old.orchestrator.tls.cacert;
    expect((await lines(old, chartProfile('25.3.0')))[0]).toContain('kubectl create configmap orchestrator-cacert --from-file=ca.crt=');
  });

  it('refuses a cluster address with sameCluster false, and warns on the likely mismatches', async () => {
    const v = guideValues();
    v.orchestrator.host = 'orchestrator-org-1-server.org-1.svc.cluster.local';
    expect((await lines(v))[0]).toMatch(/^orchestrator\.sameCluster: is false, but orchestrator\.host ".*svc\.cluster\.local" is a cluster address: the chart's network policy then allows only public addresses/);
    v.orchestrator.host = '10.1.2.3';
    expect((await lines(v))[0]).toMatch(/^orchestrator\.sameCluster: is false, but .* is a private address/);
    v.orchestrator.host = 'orchestrator-server.orchestrator';
    const likely = await check(v);
    expect(likely.errors).toEqual([]);
    expect(likely.warnings.map((w) => w.path)).toEqual(['orchestrator.sameCluster']);

    v.orchestrator.sameCluster = true;
    v.orchestrator.port = 9000;
    v.orchestrator.host = '8.8.8.8';
    expect((await lines(v))[0]).toMatch(/^orchestrator\.sameCluster: is true, but orchestrator\.host "8\.8\.8\.8" is a public address/);
    v.orchestrator.host = '172.20.0.1'; // private, but outside the policy's 172.16.0.0/20
    expect((await lines(v))[0]).toMatch(/is a public address/);
    v.orchestrator.host = 'orchestrator.cluster-1.example.com';
    const publicName = await check(v);
    expect(publicName.errors).toEqual([]);
    expect(publicName.warnings.map((w) => w.path)).toEqual(['orchestrator.sameCluster']);
  });

  it("warns when sameCluster's port is not the orchestrator Service's 9000", async () => {
    const v = guideValues();
    v.orchestrator.sameCluster = true;
    v.orchestrator.host = 'orchestrator-server.orchestrator';
    v.orchestrator.port = 443;
    expect((await check(v)).warnings).toEqual([{ path: 'orchestrator.port', message: "is 443 with sameCluster: the orchestrator chart's Service listens on 9000" }]);
  });

  it('refuses values longer than the backend database stores', async () => {
    const v = guideValues() as Record<string, any>;
    v.addAccountOperator.outgoingOrganizations[0].secret = 'x'.repeat(129);
    expect(await lines(v)).toEqual([
      'addAccountOperator.outgoingOrganizations[0].secret: must be at most 128 characters (it has 129; the backend stores outgoing secrets in 128 and its sync Job fails on longer ones)',
    ]);
    v.addAccountOperator.outgoingOrganizations[0].secret = 'x'.repeat(128);
    expect(await lines(v)).toEqual([]);

    const c = guideValues() as Record<string, any>;
    const long = 'c'.repeat(101);
    c.orchestrator.channels = [{ [long]: { restricted: false, model_export_enabled: false } }];
    c.addAccountOperator.users[0].channel = long;
    expect((await lines(c)).some((l) => l.includes('must be at most 100 characters (it has 101'))).toBe(true);

    const u = guideValues() as Record<string, any>;
    u.addAccountOperator.users[0].name = 'u'.repeat(151);
    expect((await lines(u))[0]).toContain('must be at most 150 characters');
  });

  it('refuses the virtual user names and link secrets outside Latin-1', async () => {
    const v = guideValues() as Record<string, any>;
    v.addAccountOperator.users[0].name = 'external';
    expect((await lines(v))[0]).toMatch(/^addAccountOperator\.users\[0\]\.name: "external" is reserved/);
    const w = guideValues() as Record<string, any>;
    w.addAccountOperator.incomingOrganizations[0].secret = 'Zq3wX7eR9tY2uI5oP8aS1dF€';
    expect(await lines(w)).toEqual([
      // Neither the character nor its place: nothing of a secret is shown.
      'addAccountOperator.incomingOrganizations[0].secret: must use only Latin-1 characters (backends send it as HTTP Basic credentials); it holds one that is not',
    ]);
    w.addAccountOperator.incomingOrganizations[0].secret = 'Zq3wX7eR9tY2uI5oP8aS1dFé';
    expect(await lines(w)).toEqual([]);
  });

  it('names no character of a secret, nor where it stands: an invisible one in a password or link secret is said to be there, no more', async () => {
    const v = guideValues() as Record<string, any>;
    v.addAccountOperator.users[0].secret = 'Zq3wX7eR\u200b9tY2uI5oP8aS1dF';
    v.addAccountOperator.outgoingOrganizations[0].secret = 'Zq3wX7eR9tY2uI5oP8aS1dF\u2060';
    const found = await lines(v);
    expect(found).toEqual([
      'addAccountOperator.users[0].secret: must not contain spaces or other whitespace (the chart splits on them): it holds an invisible character (a zero-width space, a direction mark); remove it',
      'addAccountOperator.outgoingOrganizations[0].secret: must not contain spaces or other whitespace (the chart splits on them): it holds an invisible character (a zero-width space, a direction mark); remove it',
    ]);
  });

  it('takes spaces in link entry names only where the chart splits organization lines at the last space (26.6.6+)', async () => {
    const v = guideValues() as Record<string, any>;
    v.addAccountOperator.incomingOrganizations[0].name = 'Bio Technica';
    v.addAccountOperator.outgoingOrganizations[0].name = 'Bio Technica';
    expect(await lines(v)).toEqual([]);
    expect((await lines(v, chartProfile('26.6.5')))[0]).toMatch(/^addAccountOperator\.incomingOrganizations\[0\]\.name: must not contain spaces/);
    v.addAccountOperator.incomingOrganizations[0].name = 'Bio  Technica';
    expect((await lines(v))[0]).toMatch(/may hold single spaces, but no other whitespace/);
  });

  it('warns that a solo-* channel is restricted whatever its flag says', async () => {
    const v = guideValues() as Record<string, any>;
    v.orchestrator.channels.push({ 'solo-ingen': { restricted: false, model_export_enabled: false } });
    expect((await check(v)).warnings).toEqual([
      { path: 'orchestrator.channels[1].solo-ingen.restricted', message: 'is false, but the backend treats every "solo-*" channel as restricted: this organization must be its only member' },
    ]);
  });

  it('warns on charts 26.12.0–26.14.1 unless server.image.tag names a backend with the sync commands', async () => {
    for (const version of ['26.12.0', '26.14.1']) {
      expect((await check(guideValues(), chartProfile(version))).warnings.map((w) => w.path), version).toEqual(['server.image.tag']);
    }
    for (const version of ['26.11.9', '26.14.2']) expect((await check(guideValues(), chartProfile(version))).warnings, version).toEqual([]);
    const tagged = guideValues() as Record<string, any>;
    tagged.server.image = { tag: '1.0.1' };
    expect((await check(tagged, chartProfile('26.13.0'))).warnings).toEqual([]);
  });
});

describe('whitespace the add-account Job would split on', async () => {
  it.each([
    ['users', 'name', 'ad min'],
    ['users', 'secret', 'correct Horse battery staple 42'],
    ['users', 'channel', 'our channel'],
    ['incomingOrganizations', 'secret', 'Zq3wX7eR9t Y2uI5oP8aS1dF'],
    ['outgoingOrganizations', 'name', 'bio\ttechnica'],
    ['outgoingOrganizations', 'secret', 'Hj6kL9zX2cV5bN8mQ1wE4rT\u00a0'],
  ])('refuses whitespace in addAccountOperator.%s[0].%s', async (list, field, value) => {
    const v = guideValues() as Record<string, any>;
    v.addAccountOperator[list][0][field] = value;
    const error = (await check(v)).errors.find((e) => e.path === `addAccountOperator.${list}[0].${field}`);
    expect(error?.message).toMatch(/whitespace|may contain only/);
    expect(error?.message).not.toContain(value);
  });
});

describe('what the account Job of each chart does to a field before the backend sees it', async () => {
  // 22.0.0–26.11.x: `read user password channel <<< "$line"` (no -r) drops every backslash, and
  // `./manage.py add_user "$user" "$password" "$channel"` takes a leading "-" for an option
  // (the Job stops). Organization lines are read with -r from 26.6.6 on; 26.12.0 reads files.
  const set = (list: string, field: string, value: string) => {
    const v = guideValues() as Record<string, any>;
    v.addAccountOperator[list][0][field] = value;
    if (list === 'incomingOrganizations' && field === 'name') v.addAccountOperator.outgoingOrganizations[0].name = value;
    return v;
  };
  const errorAt = async (v: unknown, path: string, p = profile) => (await check(v, p)).errors.find((e) => e.path === path)?.message;

  it.each([
    ['users', 'secret', '-correct-Horse-battery-staple-42'],
    ['users', 'name', '-admin'],
    ['incomingOrganizations', 'secret', '-Zq3wX7eR9tY2uI5oP8aS1dF'],
    ['outgoingOrganizations', 'secret', '-Hj6kL9zX2cV5bN8mQ1wE4rT'],
  ])('refuses a leading "-" in addAccountOperator.%s[0].%s before chart 26.12.0, where it reaches manage.py as an option', async (list, field, value) => {
    const v = set(list, field, value);
    const message = await errorAt(v, `addAccountOperator.${list}[0].${field}`, chartProfile('26.11.0'));
    expect(message).toMatch(/^must not start with "-": chart 26\.11\.0's account Job passes it to manage\.py as an argument, which reads it as an option and stops; /);
    expect(message).not.toContain(value);
    expect(await errorAt(v, `addAccountOperator.${list}[0].${field}`, chartProfile('22.0.0'))).toBeDefined();
    expect(await errorAt(v, `addAccountOperator.${list}[0].${field}`, chartProfile('26.12.0'))).toBeUndefined();
  });

  it('refuses a leading "-" in a spaced link name on 26.6.6–26.11.x too', async () => {
    const v = set('incomingOrganizations', 'name', '-v Technica');
    expect(await errorAt(v, 'addAccountOperator.incomingOrganizations[0].name', chartProfile('26.11.0'))).toMatch(/^must not start with "-"/);
    expect(await errorAt(v, 'addAccountOperator.incomingOrganizations[0].name')).toBeUndefined();
  });

  it.each([
    ['26.11.0', 'users', 'secret', 'correct-Horse\\battery-staple-42'],
    ['22.0.0', 'users', 'secret', 'correct-Horse-battery-staple-42\\'],
    ['26.6.5', 'incomingOrganizations', 'secret', 'Zq3wX7eR9\\tY2uI5oP8aS1dF'],
    ['22.0.0', 'outgoingOrganizations', 'secret', 'Hj6kL9zX2cV5bN8mQ1wE4rT\\'],
  ])('chart %s: refuses a backslash in addAccountOperator.%s[0].%s, which bash read drops', async (version, list, field, value) => {
    const v = set(list, field, value);
    const message = await errorAt(v, `addAccountOperator.${list}[0].${field}`, chartProfile(version));
    expect(message).toMatch(new RegExp(`^must not contain "\\\\": chart ${version.replace(/\./g, '\\.')}'s account Job reads its lines with bash \`read\` without -r, which drops it`));
    expect(await errorAt(v, `addAccountOperator.${list}[0].${field}`)).toBeUndefined();
  });

  it('takes a backslash in link secrets from 26.6.6, where organization lines are read with read -r', async () => {
    const v = set('incomingOrganizations', 'secret', 'Zq3wX7eR9\\tY2uI5oP8aS1dF');
    expect(await errorAt(v, 'addAccountOperator.incomingOrganizations[0].secret', chartProfile('26.6.6'))).toBeUndefined();
  });
});

describe('what Django and HTTP Basic do to account names and link secrets', async () => {
  it('refuses a user name that Unicode NFKC changes: Django stores the normalized name and the sync Job then fails', async () => {
    const v = guideValues() as Record<string, any>;
    v.addAccountOperator.users[0].name = '\ufb01le';
    expect(await lines(v)).toEqual([
      'addAccountOperator.users[0].name: is stored by Django as "file" (it normalizes user names, NFKC), and the sync Job then fails to find the user it created; write "file"',
    ]);
    v.addAccountOperator.users[0].name = 'Zo\u00eb';
    expect(await lines(v)).toEqual([]);
  });

  it('refuses a link secret whose Latin-1 bytes the receiving backend would decode as UTF-8', async () => {
    const v = guideValues() as Record<string, any>;
    v.addAccountOperator.incomingOrganizations[0].secret = 'Zq3wX7eR9tY2uI5oP8aS1dF\u00c3\u00a9';
    expect(await lines(v)).toEqual([
      'addAccountOperator.incomingOrganizations[0].secret: its non-ASCII characters, sent as Latin-1, also read as UTF-8, which is how the receiving backend decodes HTTP Basic credentials first: the two sides would disagree; use ASCII characters',
    ]);
  });

  it('refuses a spaced mspID with ":" or outside Latin-1: it is the HTTP Basic user name of every call to a peer', async () => {
    const v = guideValues() as Record<string, any>;
    v.orchestrator.mspID = 'Bio: Technica';
    expect((await lines(v))[0]).toBe('orchestrator.mspID: must not contain ":" (backends send it as the HTTP Basic user name, which ends at the first ":")');
    v.orchestrator.mspID = 'Bio \u6771\u4eac';
    expect((await lines(v))[0]).toBe('orchestrator.mspID: must use only Latin-1 characters (backends send it as the HTTP Basic user name); "\u6771" is not one');
  });
});

describe('passwords the backend would silently refuse', async () => {
  it('reports the contract example path and message for a short password', async () => {
    const v = guideValues() as Record<string, any>;
    v.addAccountOperator.users.push({ name: 'bob', secret: 'short-Pass-9', channel: 'our-channel' });
    expect((await lines(v))).toEqual([
      'addAccountOperator.users[1].secret: must be at least 20 characters (it has 12); the backend would silently not create user "bob"',
    ]);
  });

  it('honours settings: dev in the same file (minimum 9)', async () => {
    const v = guideValues() as Record<string, any>;
    v.settings = 'dev';
    v.addAccountOperator.users[0].secret = 'Xk9#mP2$vLq';
    expect((await check(v)).errors).toEqual([]);
  });
});

describe('unknown keys', async () => {
  it('flags a typo under orchestrator with a suggestion (the chart would ignore it)', async () => {
    const v = guideValues() as Record<string, any>;
    v.orchestrator.chanels = v.orchestrator.channels;
    expect((await lines(v))).toEqual([
      'orchestrator.chanels: unknown key: the chart ignores it (did you mean "channels"?); known keys here: host, port, mspID, sameCluster, channels, tls',
    ]);
  });

  it('flags an unknown key in a user entry', async () => {
    const v = guideValues() as Record<string, any>;
    v.addAccountOperator.users[0].password = 'x';
    expect((await lines(v))[0]).toMatch(/^addAccountOperator\.users\[0\]\.password: unknown key/);
  });

  it('allows extra keys in a channel\'s settings, warning about a likely typo', async () => {
    const v = guideValues() as Record<string, any>;
    v.orchestrator.channels[0]['our-channel'].model_export = true;
    const report = await check(v);
    expect(report.errors).toEqual([]);
    expect(report.warnings[0]).toEqual({
      path: 'orchestrator.channels[0].our-channel.model_export',
      message: expect.stringMatching(/^unknown key: the backend ignores it \(did you mean "model_export_enabled"\?\)/),
    });
  });

  it('keeps top-level keys it does not manage (postgresql, minio, …) without complaint', async () => {
    const v = { ...guideValues(), postgresql: { auth: { password: 'x' } }, minio: {} };
    expect((await check(v)).errors).toEqual([]);
  });
});

describe('chart-version rules', async () => {
  it('tells to rename incomingNodes on charts from 18.1.0', async () => {
    const v = guideValues() as Record<string, any>;
    v.addAccountOperator.incomingNodes = v.addAccountOperator.incomingOrganizations;
    delete v.addAccountOperator.incomingOrganizations;
    expect((await lines(v))).toEqual(['addAccountOperator.incomingNodes: chart 26.15.3 reads "incomingOrganizations", not "incomingNodes": rename the key']);
  });

  it('wants incomingNodes on a chart older than 18.1.0', async () => {
    const v = guideValues();
    expect((await lines(v, chartProfile('17.0.0')))).toContain(
      'addAccountOperator.incomingOrganizations: chart 17.0.0 reads "incomingNodes", not "incomingOrganizations": rename the key',
    );
  });

  it('refuses existingSecret before 26.8.0', async () => {
    const v = guideValues() as Record<string, any>;
    v.addAccountOperator = { existingSecret: 'backend-accounts' };
    expect((await lines(v, chartProfile('26.7.0')))).toEqual([
      'addAccountOperator.existingSecret: needs chart 26.8.0 or later (target is 26.7.0); put the accounts in the values file or raise --chart-version',
    ]);
    expect((await lines(v, chartProfile('26.8.0')))).toEqual([]);
  });
});

describe('a file that is mostly missing', () => {
  it('says each missing section is missing and which flag fills it', async () => {
    expect(await lines({ organizationName: 'x' })).toEqual([
      'config: is missing: config.ALLOWED_HOSTS must be set (--host-domain)',
      'server: is missing: the server section must be set (--host-domain)',
      'orchestrator: is missing: set the orchestrator connection (--orchestrator-host, --channel)',
    ]);
  });
});
