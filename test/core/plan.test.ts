import { describe, expect, it } from 'vitest';
import { chartProfile } from '../../src/core/chart.js';
import { shellQuote } from '../../src/core/command-line.js';
import { hintFor } from '../../src/core/hints.js';
import { changeSteps, clusterSteps, commandLine, deploymentSteps, installStep, parseDuration, preparationSteps, type ClusterObjects, type DeployTarget } from '../../src/core/plan.js';
import type { ChartProfile } from '../../src/core/chart.js';

const fullPlan = (t: DeployTarget, o: ClusterObjects, p: ChartProfile) => [...preparationSteps(t), ...deploymentSteps(t, o, p)];

const target: DeployTarget = {
  release: 'backend', namespace: 'substra', createNamespace: false, kubeContext: 'prod',
  repoName: 'substra', repoUrl: 'https://substra.github.io/charts/', valuesFile: '/v/backend-values.yaml', timeoutSeconds: 300,
};
const objects = { caName: 'orchestrator-cacert', caFile: '/c/ca.pem', clientSecretName: 'client', clientCertFile: '/c/c.pem', clientKeyFile: '/c/c.key' };

describe('the deployment plan', () => {
  it('puts the CA in a Secret from chart 26.0.0 and in a ConfigMap before', () => {
    const on26 = changeSteps(target, objects, chartProfile('26.0.0')).find((s) => s.id === 'ca')!;
    const on25 = changeSteps(target, objects, chartProfile('25.9.9')).find((s) => s.id === 'ca')!;
    expect(on26.command.args.slice(0, 4)).toEqual(['create', 'secret', 'generic', 'orchestrator-cacert']);
    expect(on25.command.args.slice(0, 3)).toEqual(['create', 'configmap', 'orchestrator-cacert']);
    // 13.0.1 made it a ConfigMap; up to 13.0.0 it was a Secret (CHANGELOG 13.0.1).
    const kind = (v: string) => changeSteps(target, objects, chartProfile(v)).find((s) => s.id === 'ca')!.command.args[1];
    expect(['13.0.0', '13.0.1', '25.9.9', '26.0.0'].map(kind)).toEqual(['secret', 'configmap', 'configmap', 'secret']);
    for (const step of [on26, on25]) {
      expect(step.command.args).toContain('--from-file=ca.crt=/c/ca.pem');
      expect(step.command.args).toContain('--dry-run=client');
      expect(step.pipeTo).toEqual({ bin: 'kubectl', args: ['apply', '-f', '-', '--namespace', 'substra', '--context', 'prod'] });
    }
  });

  it('checks that an object it will not create already exists, of the kind the chart mounts', () => {
    const steps = clusterSteps(target, { caName: 'ca', clientSecretName: 'client' }, chartProfile('25.0.0'));
    expect(steps.find((s) => s.id === 'ca-exists')?.command.args).toEqual(['get', 'configmap', 'ca', '-o', 'name', '--namespace', 'substra', '--context', 'prod']);
    expect(steps.find((s) => s.id === 'client-cert-exists')?.command.args.slice(0, 3)).toEqual(['get', 'secret', 'client']);
    expect(steps.some((s) => s.id.startsWith('can-i'))).toBe(false);
  });

  it('passes the scope to every cluster call: --namespace/--context to kubectl, --namespace/--kube-context to helm', () => {
    const install = installStep(target, '26.15.3');
    expect(install.command.args).toEqual([
      'upgrade', '--install', 'backend', 'substra/substra-backend', '--version', '26.15.3', '--values', '/v/backend-values.yaml',
      '--namespace', 'substra', '--kube-context', 'prod', '--timeout', '300s',
    ]);
    expect(install.timeoutSeconds).toBe(330);
    expect(installStep({ ...target, wait: true }, '26.15.3').command.args.slice(-3)).toEqual(['--wait', '--timeout', '300s']);
  });

  it('creates a missing namespace itself with --create-namespace (the Secrets come before helm)', () => {
    const steps = changeSteps({ ...target, createNamespace: true }, objects, chartProfile());
    expect(steps[0]?.id).toBe('namespace');
    expect(clusterSteps({ ...target, createNamespace: true }, objects, chartProfile()).some((s) => s.id === 'namespace')).toBe(false);
  });

  it('orders the plan: tools, repository, cluster checks, what is deployed (26.12+), changes, render, install', () => {
    expect(fullPlan(target, objects, chartProfile()).map((s) => s.id)).toEqual([
      'helm-version', 'kubectl-version', 'repo-add', 'repo-update', 'chart-versions',
      'kube-context', 'cluster', 'namespace', 'can-i-secrets', 'deployed-accounts', 'ca', 'client-cert', 'render', 'install',
    ]);
    // Before 26.12.0 nothing is deleted by an upgrade: nothing to read first.
    expect(fullPlan(target, objects, chartProfile('26.11.0')).some((s) => s.id === 'deployed-accounts')).toBe(false);
    // In secrets mode the accounts deployed are in the Secret.
    // In secrets mode the accounts deployed are in the Secret, or still in the release's values
    // when it was in values mode until now: both are read.
    const secretMode = fullPlan(target, { ...objects, accountsSecret: { name: 'accts', dataDir: '/x' } }, chartProfile());
    expect(secretMode.find((s) => s.id === 'deployed-accounts')!.command.args.slice(0, 2)).toEqual(['get', 'values']);
    expect(secretMode.find((s) => s.id === 'deployed-secret-accounts')!.command.args.slice(0, 4)).toEqual(['get', 'secret', 'accts', '-o']);
  });

  it('never has a secret among the arguments; a masked value reads ***', () => {
    const step = changeSteps(target, objects, chartProfile()).find((s) => s.id === 'client-cert')!;
    expect(commandLine(step, shellQuote)).toBe(
      'kubectl create secret tls client --cert=/c/c.pem --key=/c/c.key --namespace substra --context prod --dry-run=client -o yaml | kubectl apply -f - --namespace substra --context prod',
    );
    expect(commandLine(step, shellQuote, ['c.key'])).toContain('--key=/c/***');
  });
});

describe('durations', () => {
  it.each([
    ['300', 300], ['300s', 300], ['5m', 300], ['1h30m', 5400], ['2m10s', 130],
  ])('reads %s as %d seconds', (text, seconds) => expect(parseDuration(text)).toBe(seconds));

  it.each(['', '0', '5x', 'm', '-5m'])('refuses %j', (text) => expect(parseDuration(text)).toBeUndefined());
});

describe('hints for failed steps', () => {
  const step = installStep(target, '26.15.3');
  const hint = (stderr: string, outcome = { timedOut: false, missing: false, bin: 'helm' }) => hintFor(step, stderr, outcome);

  it.each([
    ['Error: Kubernetes cluster unreachable: Get "https://x/version": dial tcp: connection refused', /cluster does not answer/],
    ['Error: context "prod" does not exist', /no usable kube context/],
    ['Error: secrets is forbidden: User "dev" cannot create resource', /may not do this here/],
    ['Error: chart "substra-backend" version "9.9.9" not found', /not in the repository/],
    ['Error: namespaces "x" not found', /add --create-namespace/],
  ])('reads %j', (stderr, expected) => expect(hint(stderr)).toMatch(expected));

  it('tells a missing binary and a timeout apart from the rest', () => {
    expect(hint('', { timedOut: false, missing: true, bin: 'helm' })).toMatch(/helm is not on PATH/);
    expect(hint('', { timedOut: true, missing: false, bin: 'helm' })).toMatch(/raise --timeout/);
  });
});
