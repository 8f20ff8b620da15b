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

  it('warns when ALLOWED_HOSTS lacks the leading-dot domain', async () => {
    const v = guideValues();
    v.config.ALLOWED_HOSTS = '["cluster-1.example.com"]';
    expect((await check(v)).warnings.map((w) => w.path)).toEqual(['config.ALLOWED_HOSTS']);
  });

  it('refuses a quoted port and a port out of range', async () => {
    const v = guideValues() as Record<string, any>;
    v.orchestrator.port = '443';
    expect((await lines(v))[0]).toMatch(/^orchestrator\.port: must be a whole number from 1 to 65535, unquoted/);
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

  it('accepts an in-cluster orchestrator service.namespace and an IPv4 address', async () => {
    const v = guideValues();
    v.orchestrator.host = 'orchestrator-server.orchestrator';
    expect((await check(v)).errors).toEqual([]);
    v.orchestrator.host = '10.0.0.12';
    expect((await check(v)).errors).toEqual([]);
  });

  it('refuses an orchestrator host with the port glued on', async () => {
    const v = guideValues();
    v.orchestrator.host = 'orchestrator.example.com:443';
    expect((await lines(v))).toEqual(['orchestrator.host: must not include the port (use the port setting)']);
  });
});

describe('cross-field rules', async () => {
  it('refuses mTLS without TLS', async () => {
    const v = guideValues();
    v.orchestrator.tls = { enabled: false, mtls: { enabled: true, clientCertificate: 'c' } };
    v.orchestrator.port = 80;
    expect((await lines(v))).toContain(
      'orchestrator.tls.mtls.enabled: mTLS needs TLS: set orchestrator.tls.enabled: true (--orchestrator-tls) or turn mTLS off',
    );
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

  it("refuses an incoming organization's channel that is not one of the channels", async () => {
    const v = guideValues() as Record<string, any>;
    v.addAccountOperator.incomingOrganizations[0].channel = 'other';
    expect((await lines(v))[0]).toMatch(/^addAccountOperator\.incomingOrganizations\[0\]\.channel: channel "other"/);
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

  it('flags a typo inside a channel\'s settings', async () => {
    const v = guideValues() as Record<string, any>;
    v.orchestrator.channels[0]['our-channel'].model_export = true;
    expect((await lines(v))[0]).toMatch(/^orchestrator\.channels\[0\]\.our-channel\.model_export: unknown key: the chart ignores it \(did you mean "model_export_enabled"\?\)/);
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
