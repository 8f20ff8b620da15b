import type { AccountKind, Answers } from './answers.js';
import { defaultOrchestratorPort, derivedHosts } from './questions.js';
import { accountSpec, channelSpec, secretEnvName } from './specs.js';

/** Quotes an argument for a POSIX shell only when it needs it. */
export function shellQuote(arg: string): string {
  if (/^[A-Za-z0-9_./:=,@%+-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

export interface EquivalentCommand {
  /** the command line, secrets as environment references */
  command: string;
  /** environment variables the command expects to be set, with what each must hold */
  environment: Array<{ variable: string; holds: string }>;
}

/** The non-interactive command that reproduces an interactive run, for CI. */
export function equivalentCommand(a: Answers, output: string, extra: string[] = []): EquivalentCommand {
  const args = ['substra-deploy', 'init', '--non-interactive'];
  const add = (...parts: string[]) => args.push(...parts);
  add('--organization', a.organization);
  if (a.mspId !== a.organization) add('--msp-id', a.mspId);
  add('--host-domain', a.hostDomain);
  if (a.subdomain !== 'api') add('--subdomain', a.subdomain);
  if (!a.ingress) add('--no-ingress');
  const derived = derivedHosts(a);
  if (a.hostname !== derived?.hostname) add('--hostname', a.hostname);
  if (a.defaultDomain !== `https://${a.hostname}:443`) add('--default-domain', a.defaultDomain);
  for (const host of a.allowedHosts) if (!derived?.allowedHosts.includes(host)) add('--allowed-host', host);
  for (const host of derived?.allowedHosts ?? []) if (!a.allowedHosts.includes(host)) add('--remove-allowed-host', host);
  add('--orchestrator-host', a.orchestratorHost);
  if (a.tls) add('--orchestrator-tls');
  if (a.sameCluster) add('--orchestrator-same-cluster');
  if (a.orchestratorPort !== defaultOrchestratorPort(a)) add('--orchestrator-port', String(a.orchestratorPort));
  for (const channel of a.channels) add('--channel', channelSpec(channel));
  if (a.tls && a.caCertName !== 'orchestrator-cacert') add('--ca-cert-name', a.caCertName);
  if (a.tls && a.mtls) {
    add('--mtls');
    if (a.clientCertSecret !== 'orchestrator-client-cert') add('--client-cert-secret', a.clientCertSecret);
  }
  const environment: EquivalentCommand['environment'] = [];
  const kinds: Array<[AccountKind, string]> = [['users', '--user'], ['incoming', '--incoming'], ['outgoing', '--outgoing']];
  for (const [kind, flag] of kinds) {
    for (const account of a[kind]) {
      const variable = secretEnvName(kind, account.name);
      add(flag, accountSpec(kind, account, variable));
      if (account.origin?.kind !== 'file' && account.origin?.kind !== 'env') {
        environment.push({ variable, holds: kind === 'users' ? `the password of user ${account.name}` : `the ${kind} secret for ${account.name}` });
      } else if (account.origin.kind === 'env') {
        environment.push({ variable: account.origin.variable, holds: kind === 'users' ? `the password of user ${account.name}` : `the ${kind} secret for ${account.name}` });
      }
    }
  }
  add(...extra, '--output', output);
  return { command: args.map(shellQuote).join(' '), environment };
}
