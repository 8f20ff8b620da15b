import { describe, expect, it } from 'vitest';
import { chartProfile } from '../../src/core/chart.js';
import { orchestratorChannels } from '../../src/core/orchestrator.js';
import { validateValues } from '../../src/core/validate.js';
import { guideValues } from '../helpers/values.js';

const profile = chartProfile();
const messages = async (orchestrator: unknown, change?: (v: ReturnType<typeof guideValues>) => void) => {
  const v = guideValues();
  change?.(v);
  const { channels, errors } = orchestratorChannels(orchestrator, 'orch.yaml');
  expect(errors).toEqual([]);
  return (await validateValues(v, { profile, orchestratorChannels: channels })).errors.map((e) => `${e.path}: ${e.message}`);
};

describe("cross-check against the orchestrator's channels", () => {
  it('passes when every channel exists with our mspID among its members', async () => {
    expect(await messages({ channels: [{ name: 'our-channel', organizations: ['ingen', 'biotechnica'] }] })).toEqual([]);
  });

  it('refuses a channel the orchestrator does not have, listing the ones it has', async () => {
    expect(await messages({ channels: [{ name: 'other', organizations: ['ingen'] }] })).toEqual([
      'orchestrator.channels[0].our-channel: channel "our-channel" does not exist on the orchestrator (its channels: other)',
    ]);
  });

  it('refuses when our mspID is not a member', async () => {
    expect((await messages({ channels: [{ name: 'our-channel', organizations: ['biotechnica'] }] }))[0]).toMatch(
      /mspID "ingen" is not a member of channel "our-channel" on the orchestrator \(members: biotechnica\)/,
    );
  });

  it('refuses a restricted channel that has other members', async () => {
    const errors = await messages({ channels: [{ name: 'our-channel', organizations: ['ingen', 'biotechnica'] }] }, (v) => {
      v.orchestrator.channels[0]!['our-channel']!.restricted = true;
    });
    expect(errors).toEqual([
      'orchestrator.channels[0].our-channel.restricted: channel "our-channel" is restricted but has other members on the orchestrator (biotechnica); the backend refuses to start',
    ]);
  });

  it('reports a malformed orchestrator file by its own path', async () => {
    expect(orchestratorChannels({ channels: { a: 1 } }, 'orch.yaml').errors[0]?.path).toBe('orch.yaml: channels');
    expect(orchestratorChannels({ channels: [{ name: 'a' }] }, 'orch.yaml').errors[0]?.path).toBe('orch.yaml: channels[0]');
  });
});
