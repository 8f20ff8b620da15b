import type { ChartProfile } from './chart.js';

/**
 * The deployment as data: ordered steps (program, arguments, purpose) computed from the
 * values file's TLS settings, the flags and the chart version. Executed by io/exec.ts or
 * printed by --dry-run; nothing here runs anything.
 */
export type Bin = 'helm' | 'kubectl';

export interface Command {
  bin: Bin;
  args: string[];
}

export interface Step {
  id: string;
  /** what the step does, in the operator's words */
  title: string;
  command: Command;
  /** the first command's stdout is fed to this one (kubectl create --dry-run | kubectl apply) */
  pipeTo?: Command;
  /** 'check' steps only read; 'change' steps alter the cluster or the helm configuration */
  effect: 'check' | 'change';
  /** how long the step may run, in seconds */
  timeoutSeconds: number;
  /** "not found" is an answer, not a failure (no release or Secret deployed yet): the reading reads it */
  mayBeAbsent?: boolean;
  /**
   * Its stdout holds what is deployed now, secrets of accounts this run may not know (so its
   * mask cannot hide them): a failure shows the tool's stderr only.
   */
  stdoutHoldsDeployedSecrets?: boolean;
  /** what the step's answer decides, read by the runner's reader of that kind */
  reads?: Reading;
  /** run only when an earlier step's reading established this fact; printed after the line */
  when?: Condition;
  /** private files (0600) the command reads: written just before it runs, removed right after */
  privateFiles?: PrivateFiles;
  /** a secret the command reads on stdin (helm's --password-stdin), never on its command line */
  secretStdin?: 'repo-password';
}

/** What goes into a step's private files, made by the runner from what the run holds. */
export type PrivateFiles =
  /** the accounts Secret's three keys, one file each, in `dir` */
  | { kind: 'account-lines'; dir: string }
  /** the CA read from a ConfigMap of a chart before 26.0.0 */
  | { kind: 'converted-ca'; file: string };

/**
 * What a step's answer means for the rest of the run. The runner hands each answer to the
 * reader of its kind; readers may stop the run, pick the chart version, or establish a fact
 * that a later step's `when` waits for.
 */
export type Reading =
  /** `helm version`: refuses helm older than 3.8 */
  | { kind: 'helm-version' }
  /** `helm search repo`: the version asked for if the repository has it, else the newest */
  | { kind: 'chart-versions'; wanted?: string }
  /** `kubectl auth can-i`: anything but "yes" stops the run */
  | { kind: 'permission'; resource: string }
  /** the Secret the chart mounts the CA from: when absent, `fact` holds */
  | { kind: 'object-presence'; absent: Fact }
  /** a CA ConfigMap of a chart before 26.0.0: its ca.crt is kept for the conversion, or the run stops */
  | { kind: 'ca-configmap'; name: string }
  /**
   * The accounts deployed now, from the release's values or from the accounts Secret: an
   * upgrade on 26.12.0+ must not drop one unasked. `last`: every source has been read, compare.
   */
  | { kind: 'deployed-accounts'; from: 'release' | 'secret'; accountsSecret?: string; last: boolean }
  /** the deployed release's manifests, for --diff */
  | { kind: 'deployed-manifest' }
  /** the chart rendered with the values, for --diff */
  | { kind: 'rendered' };

export type Fact = 'ca-secret-missing';

export interface Condition {
  fact: Fact;
  /** the condition in the operator's words, shown beside the step */
  text: string;
  /** why the step was not needed, shown when it is skipped */
  otherwise: string;
}

export interface DeployTarget {
  release: string;
  namespace?: string;
  createNamespace: boolean;
  kubeContext?: string;
  repoName: string;
  repoUrl: string;
  /** the chart repository's user name; its password goes to helm on stdin */
  repoUsername?: string;
  valuesFile: string;
  /** helm's --timeout for the install, in seconds */
  timeoutSeconds: number;
  /** helm --wait: return only when the pods are ready */
  wait?: boolean;
}

/** The Secret named by addAccountOperator.existingSecret, with its three keys from files. */
export interface AccountsSecret {
  name: string;
  /** a private folder holding the files users, incoming_organizations, outgoing_organizations */
  dataDir: string;
}

export const ACCOUNT_SECRET_KEYS = ['users', 'incoming_organizations', 'outgoing_organizations'] as const;
export type AccountSecretKey = (typeof ACCOUNT_SECRET_KEYS)[number];

/** The line formats the add-account Job reads (facts: "How the chart consumes them"). */
export function accountSecretData(lists: {
  users: Array<{ name: string; secret?: string; channel?: string }>;
  incoming: Array<{ name: string; secret?: string }>;
  outgoing: Array<{ name: string; secret?: string }>;
}): Record<AccountSecretKey, string> {
  const lines = (entries: string[]) => (entries.length ? `${entries.join('\n')}\n` : '');
  return {
    users: lines(lists.users.map((u) => `${u.name} ${u.secret} ${u.channel}`)),
    // Link lines are "NAME SECRET" only: the Job splits them at the last space.
    incoming_organizations: lines(lists.incoming.map((o) => `${o.name} ${o.secret}`)),
    outgoing_organizations: lines(lists.outgoing.map((o) => `${o.name} ${o.secret}`)),
  };
}

export interface ClusterObjects {
  accountsSecret?: AccountsSecret;
  /**
   * A private file for the CA when the chart mounts a Secret and no --orchestrator-ca-cert was
   * given: a ConfigMap left by a chart before 26.0.0 is converted through it.
   */
  caConversionFile?: string;
  /** orchestrator.tls.cacert when TLS is on */
  caName?: string;
  /** the CA file to put in the cluster; without it the object must already exist */
  caFile?: string;
  /** orchestrator.tls.mtls.clientCertificate when mTLS is on */
  clientSecretName?: string;
  clientCertFile?: string;
  clientKeyFile?: string;
}

export const DEFAULT_REPO_NAME = 'substra';
export const DEFAULT_REPO_URL = 'https://substra.github.io/charts/';
export const CHART_NAME = 'substra-backend';
export const QUICK_STEP_SECONDS = 60;

export function chartRef(target: Pick<DeployTarget, 'repoName'>): string {
  return `${target.repoName}/${CHART_NAME}`;
}

function kubectlScope(target: DeployTarget): string[] {
  return [...(target.namespace ? ['--namespace', target.namespace] : []), ...(target.kubeContext ? ['--context', target.kubeContext] : [])];
}

function helmScope(target: DeployTarget): string[] {
  return [...(target.namespace ? ['--namespace', target.namespace] : []), ...(target.kubeContext ? ['--kube-context', target.kubeContext] : [])];
}

const caSecretMissing = (name: string): Condition => ({ fact: 'ca-secret-missing', text: `only if secret ${name} is missing`, otherwise: `secret ${name} is there` });

const quick = (id: string, title: string, command: Command, effect: Step['effect'] = 'check', pipeTo?: Command): Step => ({
  id,
  title,
  command,
  effect,
  timeoutSeconds: QUICK_STEP_SECONDS,
  ...(pipeTo ? { pipeTo } : {}),
});

/**
 * What must run before the rest can be planned: both tools on PATH (helm 3.8+), the chart
 * repository added and fresh, and the chart version picked from it (`wanted` if it has it).
 * Nothing here touches the cluster; the repository steps change only helm's repository list.
 */
export function preparationSteps(target: DeployTarget, wanted?: string): Step[] {
  return [
    { ...quick('helm-version', 'Check helm', { bin: 'helm', args: ['version', '--template', '{{.Version}}'] }), reads: { kind: 'helm-version' } },
    quick('kubectl-version', 'Check kubectl', { bin: 'kubectl', args: ['version', '--client', '-o', 'json'] }),
    target.repoUsername
      ? {
          ...quick('repo-add', `Add chart repository ${target.repoName}`, { bin: 'helm', args: ['repo', 'add', target.repoName, target.repoUrl, '--username', target.repoUsername, '--password-stdin'] }, 'change'),
          secretStdin: 'repo-password',
        }
      : quick('repo-add', `Add chart repository ${target.repoName}`, { bin: 'helm', args: ['repo', 'add', target.repoName, target.repoUrl] }, 'change'),
    quick('repo-update', `Update chart repository ${target.repoName}`, { bin: 'helm', args: ['repo', 'update', target.repoName] }, 'change'),
    {
      ...quick('chart-versions', wanted ? `Check that ${chartRef(target)} ${wanted} is in the repository` : `Find the newest ${chartRef(target)} version`, {
        bin: 'helm',
        args: ['search', 'repo', chartRef(target), '--versions', '-o', 'json'],
      }),
      reads: { kind: 'chart-versions', ...(wanted ? { wanted } : {}) },
    },
  ];
}

/** The cluster reachable, the namespace there, the rights granted, before anything changes. */
export function clusterSteps(target: DeployTarget, objects: ClusterObjects, profile: ChartProfile): Step[] {
  const scope = kubectlScope(target);
  const steps: Step[] = [
    target.kubeContext
      ? quick('kube-context', `Check kube context ${target.kubeContext}`, { bin: 'kubectl', args: ['config', 'get-contexts', target.kubeContext, '-o', 'name'] })
      : quick('kube-context', 'Check the current kube context', { bin: 'kubectl', args: ['config', 'current-context'] }),
    quick('cluster', 'Check that the cluster answers', {
      bin: 'kubectl',
      args: ['get', '--raw', '/version', '--request-timeout', '15s', ...(target.kubeContext ? ['--context', target.kubeContext] : [])],
    }),
  ];
  if (target.namespace && !target.createNamespace) {
    steps.push(quick('namespace', `Check namespace ${target.namespace}`, { bin: 'kubectl', args: ['get', 'namespace', target.namespace, '-o', 'name', ...(target.kubeContext ? ['--context', target.kubeContext] : [])] }));
  }
  const kinds = new Set<string>();
  if (objects.accountsSecret) kinds.add('secrets');
  if (objects.caFile) kinds.add(profile.caObjectKind === 'Secret' ? 'secrets' : 'configmaps');
  if (objects.clientCertFile) kinds.add('secrets');
  const canCreate = (kind: string): Step => ({
    ...quick(`can-i-${kind}`, `Check permission to create ${kind}`, { bin: 'kubectl', args: ['auth', 'can-i', 'create', kind, ...scope] }),
    reads: { kind: 'permission', resource: kind },
  });
  for (const kind of kinds) steps.push(canCreate(kind));
  if (objects.caName && !objects.caFile) {
    if (profile.caObjectKind === 'Secret') {
      steps.push({
        ...quick('ca-exists', `Check that secret ${objects.caName} holds the orchestrator CA`, { bin: 'kubectl', args: ['get', 'secret', objects.caName, '-o', 'name', ...scope] }),
        mayBeAbsent: true,
        reads: { kind: 'object-presence', absent: 'ca-secret-missing' },
      });
      // A cluster set up for a chart before 26.0.0 has the CA in a ConfigMap: it is converted.
      if (objects.caConversionFile) {
        steps.push({
          ...quick('ca-configmap', `Read the CA from ConfigMap ${objects.caName} (charts before 26.0.0 used one)`, { bin: 'kubectl', args: ['get', 'configmap', objects.caName, '-o', 'json', ...scope] }),
          mayBeAbsent: true,
          reads: { kind: 'ca-configmap', name: objects.caName },
          when: caSecretMissing(objects.caName),
        });
        // The conversion creates a Secret: the right to is checked before anything changes.
        if (!kinds.has('secrets')) steps.push({ ...canCreate('secrets'), when: caSecretMissing(objects.caName) });
      }
    } else {
      steps.push(quick('ca-exists', `Check that configmap ${objects.caName} holds the orchestrator CA`, { bin: 'kubectl', args: ['get', 'configmap', objects.caName, '-o', 'name', ...scope] }));
    }
  }
  if (objects.clientSecretName && !objects.clientCertFile) {
    steps.push(quick('client-cert-exists', `Check that secret ${objects.clientSecretName} holds the client certificate`, { bin: 'kubectl', args: ['get', 'secret', objects.clientSecretName, '-o', 'name', ...scope] }));
  }
  return steps;
}

/**
 * The changes, each safe to re-run: objects are rendered client-side and applied, so an
 * existing one is updated rather than an AlreadyExists error.
 */
export function changeSteps(target: DeployTarget, objects: ClusterObjects, profile: ChartProfile): Step[] {
  const scope = kubectlScope(target);
  const apply: Command = { bin: 'kubectl', args: ['apply', '-f', '-', ...scope] };
  const steps: Step[] = [];
  if (target.namespace && target.createNamespace) {
    steps.push(
      quick(
        'namespace',
        `Create namespace ${target.namespace} if missing`,
        { bin: 'kubectl', args: ['create', 'namespace', target.namespace, '--dry-run=client', '-o', 'yaml'] },
        'change',
        { bin: 'kubectl', args: ['apply', '-f', '-', ...(target.kubeContext ? ['--context', target.kubeContext] : [])] },
      ),
    );
  }
  if (objects.accountsSecret) {
    const { name, dataDir } = objects.accountsSecret;
    steps.push({
      ...quick(
        'accounts',
        `Put the accounts in Secret ${name} (addAccountOperator.existingSecret)`,
        {
          bin: 'kubectl',
          args: ['create', 'secret', 'generic', name, ...ACCOUNT_SECRET_KEYS.map((k) => `--from-file=${k}=${dataDir}/${k}`), ...scope, '--dry-run=client', '-o', 'yaml'],
        },
        'change',
        apply,
      ),
      // The passwords go by file, never on a command line; the files live only for this step.
      privateFiles: { kind: 'account-lines', dir: dataDir },
    });
  }
  const caFile = objects.caFile ?? (profile.caObjectKind === 'Secret' ? objects.caConversionFile : undefined);
  if (objects.caName && caFile) {
    // From chart 26.0.0 the CA is mounted from a Secret; before, from a ConfigMap.
    const create =
      profile.caObjectKind === 'Secret'
        ? ['create', 'secret', 'generic', objects.caName, `--from-file=ca.crt=${caFile}`]
        : ['create', 'configmap', objects.caName, `--from-file=ca.crt=${caFile}`];
    const step = quick('ca', `Put the orchestrator CA in ${profile.caObjectKind} ${objects.caName}`, { bin: 'kubectl', args: [...create, ...scope, '--dry-run=client', '-o', 'yaml'] }, 'change', apply);
    steps.push(
      objects.caFile
        ? step
        : {
            ...step,
            title: `Convert ConfigMap ${objects.caName} into the Secret ${objects.caName} this chart mounts`,
            when: caSecretMissing(objects.caName),
            privateFiles: { kind: 'converted-ca', file: caFile },
          },
    );
  }
  if (objects.clientSecretName && objects.clientCertFile && objects.clientKeyFile) {
    steps.push(
      quick(
        'client-cert',
        `Put the client certificate in Secret ${objects.clientSecretName}`,
        {
          bin: 'kubectl',
          args: ['create', 'secret', 'tls', objects.clientSecretName, `--cert=${objects.clientCertFile}`, `--key=${objects.clientKeyFile}`, ...scope, '--dry-run=client', '-o', 'yaml'],
        },
        'change',
        apply,
      ),
    );
  }
  return steps;
}

export function renderStep(target: DeployTarget, version: string): Step {
  return quick('render', `Render ${chartRef(target)} ${version} with the values (helm template)`, {
    bin: 'helm',
    args: ['template', target.release, chartRef(target), '--version', version, '--values', target.valuesFile, ...(target.namespace ? ['--namespace', target.namespace] : [])],
  });
}

export function installStep(target: DeployTarget, version: string): Step {
  return {
    id: 'install',
    title: `Install or upgrade release ${target.release} (${chartRef(target)} ${version})`,
    command: {
      bin: 'helm',
      args: [
        'upgrade', '--install', target.release, chartRef(target),
        '--version', version,
        '--values', target.valuesFile,
        ...helmScope(target),
        ...(target.wait ? ['--wait'] : []),
        '--timeout', `${target.timeoutSeconds}s`,
      ],
    },
    effect: 'change',
    // helm waits up to --timeout for the add-account hook Job; give it a margin to say so.
    timeoutSeconds: target.timeoutSeconds + Math.min(30, target.timeoutSeconds),
  };
}

/**
 * The accounts deployed now, read before an upgrade on 26.12.0+ (which deletes what the values
 * drop): the release's values always (they hold the accounts, or name the Secret that does),
 * and in secrets mode the accounts Secret too, since a release still in values mode has none
 * yet. A release or Secret that does not exist yet is an answer (a first install).
 */
export function deployedAccountsSteps(target: DeployTarget, accountsSecret: string | undefined): Step[] {
  const fromRelease: Step = {
    ...quick('deployed-accounts', `Read the accounts deployed now (release ${target.release})`, { bin: 'helm', args: ['get', 'values', target.release, '--all', '-o', 'json', ...helmScope(target)] }),
    mayBeAbsent: true,
    stdoutHoldsDeployedSecrets: true,
    reads: { kind: 'deployed-accounts', from: 'release', ...(accountsSecret ? { accountsSecret } : {}), last: !accountsSecret },
  };
  if (!accountsSecret) return [fromRelease];
  return [
    fromRelease,
    {
      ...quick('deployed-secret-accounts', `Read the accounts deployed now (Secret ${accountsSecret})`, { bin: 'kubectl', args: ['get', 'secret', accountsSecret, '-o', 'json', ...kubectlScope(target)] }),
      mayBeAbsent: true,
      stdoutHoldsDeployedSecrets: true,
      reads: { kind: 'deployed-accounts', from: 'secret', accountsSecret, last: true },
    },
  ];
}

/** The deployed release's manifests, for --diff (none yet is an answer). */
export function deployedManifestStep(target: DeployTarget): Step {
  const step = quick('deployed-manifest', `Read the manifests of release ${target.release}`, { bin: 'helm', args: ['get', 'manifest', target.release, ...helmScope(target)] });
  return { ...step, mayBeAbsent: true, stdoutHoldsDeployedSecrets: true, reads: { kind: 'deployed-manifest' } };
}

/**
 * Every step once the chart version is known, in the order they run: the cluster checks, what
 * is deployed now (26.12.0+ deletes accounts the values drop), then either the changes, the
 * render and the install, or (`diff`) the render and the deployed manifests to compare.
 */
export function deploymentSteps(target: DeployTarget, objects: ClusterObjects, profile: ChartProfile, options: { diff?: boolean } = {}): Step[] {
  const deployedAccounts = profile.deletesRemovedAccounts ? deployedAccountsSteps(target, objects.accountsSecret?.name) : [];
  if (options.diff) {
    // A diff changes nothing: a CA ConfigMap is not converted, only looked for.
    const looked: ClusterObjects = { ...objects };
    delete looked.caConversionFile;
    return [...clusterSteps(target, looked, profile), ...deployedAccounts, { ...renderStep(target, profile.version), reads: { kind: 'rendered' } }, deployedManifestStep(target)];
  }
  return [
    ...clusterSteps(target, objects, profile),
    ...deployedAccounts,
    ...changeSteps(target, objects, profile),
    renderStep(target, profile.version),
    installStep(target, profile.version),
  ];
}

/** `$ helm …` lines. Secrets never appear in arguments; `secrets` are masked all the same. */
export function commandLine(step: Step, quote: (arg: string) => string, secrets: string[] = []): string {
  const mask = (arg: string) => secrets.reduce((a, s) => (s ? a.split(s).join('***') : a), arg);
  const line = (c: Command) => [c.bin, ...c.args].map((a) => quote(mask(a))).join(' ');
  return step.pipeTo ? `${line(step.command)} | ${line(step.pipeTo)}` : line(step.command);
}

/** What the line alone does not say: when the step runs, and the private files it reads. */
export function stepNote(step: Step): string | undefined {
  const files = step.privateFiles && (step.privateFiles.kind === 'account-lines' ? 'the account files are' : 'ca.crt (from the ConfigMap) is');
  const stdin = step.secretStdin && 'the password from SUBSTRA_REPO_PASSWORD on stdin';
  const parts = [step.when?.text, files && `${files} written 0600 just before and removed after`, stdin].filter(Boolean);
  return parts.length ? parts.join('; ') : undefined;
}

/** The line as printed for people: the note after it as a shell comment, so a shell still runs it. */
export function planLine(step: Step, quote: (arg: string) => string): string {
  const note = stepNote(step);
  return note ? `${commandLine(step, quote)}  # ${note}` : commandLine(step, quote);
}

/** Parses helm-style durations: 300, 300s, 5m, 1h30m. */
export function parseDuration(text: string): number | undefined {
  const t = text.trim();
  if (/^\d+$/.test(t)) return Number(t) > 0 ? Number(t) : undefined;
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(t);
  if (!match || t === '') return undefined;
  const [, h = '0', m = '0', s = '0'] = match;
  const total = Number(h) * 3600 + Number(m) * 60 + Number(s);
  return total > 0 ? total : undefined;
}
