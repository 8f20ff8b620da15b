import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/cli.js';
import { fixture } from '../helpers/golden.js';
import { runMain, scriptedPrompter } from '../helpers/in-process.js';
import type { Prompter, SelectChoice } from '../../src/prompts/prompter.js';

describe("the wizard's summary of a file", () => {
  it('groups the settings under the deployment guide headings, in its order, with channels, users and links shown but no secret', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'values.yaml'), fixture('values/realistic.yaml'));
    const script = scriptedPrompter([
      ['values.yaml holds these settings', 'done'],
      ['Add a channel', false],
      ['Keep these users', ['admin', 'analyst']],
      ['Add a user', false],
      ['Keep these incoming', ['biotechnica']],
      ['Add an incoming', false],
      ['Keep these outgoing', ['biotechnica']],
      ['Add an outgoing', false],
      ['Deploy it to the cluster now', false],
    ]);
    let summary: Array<SelectChoice<unknown>> = [];
    const prompter: Prompter = {
      ...script,
      select: async (o) => {
        if (o.message.includes('holds these settings')) summary = o.choices;
        return script.select(o);
      },
    };
    const r = await runMain(['init', '--values', 'values.yaml'], { cwd: dir, tty: true, prompter });
    expect(r.code).toBe(0);

    // As the terminal shows it: a heading or an entry cannot be chosen, a setting can.
    expect(summary.map((c) => ('separator' in c ? c.separator : `  ${c.name}`))).toEqual([
      '  Done: keep the rest as it is',
      '── Organization',
      '  Organization name: ingen',
      '  MSP ID on the orchestrator: ingen',
      '── Backend exposure (ingress)',
      '  Host domain (e.g. cluster-1.example.com): cluster-1.example.com',
      '  Backend subdomain: api',
      '  Create an ingress for the backend: yes',
      '  Ingress host name: api.cluster-1.example.com',
      '  URL peers call this backend at: https://api.cluster-1.example.com:443',
      '  Allowed hosts: .cluster-1.example.com',
      '  Ingress class (empty: the cluster default): (not set)',
      '  Largest upload through the ingress (nginx size, e.g. 100m): (not set)',
      '  cert-manager ClusterIssuer for HTTPS (empty: none): letsencrypt',
      '  TLS Secret for HTTPS (empty: none): (not set)',
      '── Orchestrator connection',
      '  Orchestrator host: orchestrator.cluster-1.example.com',
      '  Is the orchestrator in this same cluster: no',
      '  Does the orchestrator use TLS: yes',
      '  Orchestrator port: 443',
      '  Name of the cluster object holding the orchestrator CA: orchestrator-cacert',
      '  Does the orchestrator require a client certificate (mTLS): no',
      '── Channels',
      '   our-channel (model export)',
      '   private-ingen (restricted)',
      '── Users',
      '   admin (our-channel)',
      '   analyst (private-ingen)',
      '── Links with other organizations',
      '   incoming: biotechnica',
      '   outgoing: biotechnica',
    ]);
    expect(JSON.stringify(summary)).not.toMatch(/Kx7pQ2mVn9wRt4bYz6cLh3|Zq3wX7eR9tY2uI5oP8aS1dF|Hj6kL9zX2cV5bN8mQ1wE4rT/);
  });
});
