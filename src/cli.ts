import { Argument, Command, CommanderError, Option, type CommandUnknownOpts, type OptionValues } from '@commander-js/extra-typings';
import { NEWEST_KNOWN_CHART, parseChartVersion, unsupportedChart, type SemVer } from './core/chart.js';
import { NEWEST_KNOWN_FRONTEND_CHART, NEWEST_KNOWN_ORCHESTRATOR_CHART, placeChartVersion, placementBrief } from './core/compatibility.js';
import { urlWithoutCredentials } from './core/mask.js';
import { DEFAULT_REPO_NAME, DEFAULT_REPO_URL, parseDuration } from './core/plan.js';
import { Cancelled, exitCodeFor, UsageError, ValidationError } from './core/errors.js';
import { Outcome, type Problem } from './core/outcome.js';
import { LIST_SETTINGS, SETTINGS } from './core/questions.js';
import type { CommandContext } from './app/context.js';
import type { DeployFlags } from './commands/deploy.js';
import type { InitFlags } from './commands/init.js';
import { interruptionNote, removePendingTemporaries, startRun } from './io/files.js';
import { interruptionNotes, setInterruptionDocument } from './io/interruption.js';
import { PasswordPool } from './io/password-pool.js';
import { createTerm, type Term } from './io/term.js';
import { inquirerPrompter, type Prompter } from './prompts/prompter.js';

/**
 * The command line: flags → command inputs. The only module that decides exit codes and the
 * only one that turns errors into text.
 */
export interface CliIO {
  argv: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  version: string;
  prompter?: Prompter;
  /** the bundled password worker; without it passwords are checked in-process */
  passwordWorkerFile?: string;
}

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];
const truthyCI = (value: string | undefined) => value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';

/** The options object commander infers for a command. */
type OptionsOf<C extends { opts(): unknown }> = ReturnType<C['opts']>;

/** A chart version option; `refuse` names what is wrong with a well-formed version, if anything. */
function versionOption<Flags extends string>(flags: Flags, description: string, refuse: (version: SemVer) => string | undefined = () => undefined) {
  return new Option(flags, description).argParser((v) => {
    const version = parseChartVersion(v);
    if (!version) throw new UsageError([`${flags.split(' ')[0]} "${v}": must be a version such as ${NEWEST_KNOWN_CHART}`]);
    const refused = refuse(version);
    if (refused) throw new UsageError([`${flags.split(' ')[0]} "${v}": ${refused}`]);
    return v.replace(/^v/, '');
  });
}

function chartVersionOption() {
  return versionOption(
    '--chart-version <v>',
    `target substra-backend chart version (default: ${NEWEST_KNOWN_CHART}, ${placementBrief(placeChartVersion('backend', NEWEST_KNOWN_CHART))}; 13.0.0 or later)`,
    unsupportedChart,
  );
}

function durationOption<Flags extends string>(flags: Flags, description: string) {
  return new Option(flags, description).argParser((v) => {
    const seconds = parseDuration(v);
    if (seconds === undefined) throw new UsageError([`${flags.split(' ')[0]} "${v}": must be a duration such as 300s, 5m or 1h`]);
    return seconds;
  });
}

/** A repository URL without credentials: in it, the password would be on helm's command line and in every printed step. */
function repoUrl(v: string): string {
  let url: URL | undefined;
  try {
    url = new URL(v);
  } catch {
    url = undefined;
  }
  // What may be a user name and password before an "@" is not shown.
  const shown = urlWithoutCredentials(v);
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new UsageError([`--repo-url ${shown}: must be an http:// or https:// URL (the chart repository helm adds)`]);
  }
  if (url.username || url.password) {
    throw new UsageError([
      `--repo-url: holds a user name and password (${shown}): they would be on helm's command line and in every step printed; give the URL without them and set SUBSTRA_REPO_USERNAME and SUBSTRA_REPO_PASSWORD (helm gets the password on stdin)`,
    ]);
  }
  return v;
}

/** The deploy flags, shared by `init --deploy` and `deploy`. */
function withDeployOptions<Args extends unknown[], Opts extends OptionValues, Globals extends OptionValues>(cmd: Command<Args, Opts, Globals>) {
  return cmd
    .option('--dry-run', 'print each step as a `$ ` command line and run nothing')
    .option('--release <name>', 'helm release name (default: backend)')
    .option('--namespace <ns>', "target namespace (default: the current context's)")
    .option('--create-namespace', 'create the namespace when it is missing')
    .option('--kube-context <ctx>', 'kube context for every helm/kubectl call (default: current)')
    .option('--repo-name <name>', `chart repository name (default: ${DEFAULT_REPO_NAME})`)
    .addOption(new Option('--repo-url <url>', `chart repository URL (default: ${DEFAULT_REPO_URL}); credentials: SUBSTRA_REPO_USERNAME, SUBSTRA_REPO_PASSWORD`).argParser(repoUrl))
    .option('--wait', 'let helm wait until the backend pods are ready (up to --timeout)')
    .option('--allow-deletions', 'let an upgrade on chart 26.12.0+ delete accounts the values file no longer names (otherwise it stops and names them)')
    .option('--diff', 'show what the upgrade changes in the cluster (rendered manifests against the deployed release, Secrets masked); change nothing')
    .addOption(durationOption('--timeout <duration>', 'how long helm may wait for the install and its hooks (default: 5m)'));
}

/** --chart-version and --json, which every command that checks values takes. */
function withReportOptions<Args extends unknown[], Opts extends OptionValues, Globals extends OptionValues>(cmd: Command<Args, Opts, Globals>) {
  return cmd.addOption(chartVersionOption()).option('--json', 'print a machine-readable report on stdout');
}

/** How links are chosen and repaired, shared by `link` and `network`. */
function withLinkOptions<Args extends unknown[], Opts extends OptionValues, Globals extends OptionValues>(cmd: Command<Args, Opts, Globals>) {
  return cmd
    .addOption(
      new Option('--channel <name>').hideHelp().argParser((): never => {
        throw new UsageError([
          '--channel: link entries name no channel (the backend reads the last word of each line as the secret, so a channel would become the password); drop --channel: every two organizations that share a channel are linked',
        ]);
      }),
    )
    .option('--rotate', 'replace every link secret')
    .option('--fix', 'make mismatched link pairs match (the outgoing side takes the incoming secret)');
}

/** What the settings table's options were given on the command line. */
type GivenSettings = Pick<InitFlags, 'settings' | 'lists' | 'removals'>;

/**
 * Adds init's options generated from the settings table, and returns the reader of their
 * values. commander cannot infer the type of options added in a loop, so the reader goes by
 * each Option's own attribute name and narrows what it finds there instead of casting it.
 */
function addSettingOptions(cmd: CommandUnknownOpts): () => GivenSettings {
  const scalars = SETTINGS.map((setting) => {
    const flags = setting.type === 'boolean' ? `--${setting.flag}` : `--${setting.flag} <${setting.placeholder}>`;
    const option = new Option(flags, setting.type === 'boolean' ? setting.description : `${setting.description} [env: ${setting.env}]`);
    cmd.addOption(option);
    if (setting.type === 'boolean') cmd.addOption(new Option(`--no-${setting.flag}`, `do not: ${setting.description}`));
    return { setting, name: option.attributeName() };
  });
  const lists = LIST_SETTINGS.map((list) => {
    const add = new Option(`--${list.flag} <${list.placeholder}>`, `${list.description} [env: ${list.env}, space-separated]`).argParser(collect);
    const remove = new Option(`--${list.removeFlag} <name>`, `remove this ${list.flag} from the --values file (repeatable)`).argParser(collect);
    cmd.addOption(add).addOption(remove);
    return { list, add: add.attributeName(), remove: remove.attributeName() };
  });
  const strings = (value: unknown) => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : undefined);
  return () => {
    const given: GivenSettings = { settings: {}, lists: {}, removals: {} };
    for (const { setting, name } of scalars) {
      // A --no- option gives its pair a default of true, which the command line did not say.
      if (cmd.getOptionValueSource(name) !== 'cli') continue;
      const value = cmd.getOptionValue(name);
      if (typeof value === 'boolean' || typeof value === 'string') given.settings[setting.key] = value;
    }
    for (const { list, add, remove } of lists) {
      const added = strings(cmd.getOptionValue(add));
      if (added) given.lists[list.key] = added;
      const removed = strings(cmd.getOptionValue(remove));
      if (removed) given.removals[list.key] = removed;
    }
    return given;
  };
}

/** The init command's options; `givenSettings` reads those generated from the settings table. */
function declareInit(program: CommandUnknownOpts) {
  const init = program
    .command('init')
    .description('build (or edit with --values) a substra-backend values file, validate it and write it')
    .addHelpText('after', EXAMPLES_INIT)
    .option('--values <file>', 'edit this existing values file (comments and unmanaged keys are kept)')
    .option('-o, --output <file>', 'where to write (default: the --values file, else backend-values.yaml)')
    .option('--force', 'allow overwriting an existing --output that is not the --values file')
    .option('--non-interactive', 'never prompt (also when stdin/stdout are not terminals or CI is set)');
  const givenSettings = addSettingOptions(init);
  const command = init
    .option('--orchestrator-ca-cert <file>', 'the orchestrator CA certificate file to put in the cluster (with --deploy)')
    .option('--client-cert <file>', 'the mTLS client certificate file to put in the cluster (with --deploy)')
    .option('--client-key <file>', 'the mTLS client key file (with --deploy)')
    .option('--deploy', 'after writing, run the deployment steps (interactive: asked)')
    .addOption(
      new Option('--secrets-mode <mode>', 'values: accounts in the values file; secret: in a 0600 credentials file, the values file names addAccountOperator.existingSecret (chart 26.8.0+)').choices([
        'values',
        'secret',
      ] as const),
    )
    .option('--yaml-schema <ref>', 'add a `# yaml-language-server: $schema=REF` line (a path or URL of `substra-deploy schema` output) so editors check the file')
    .option('--accounts-secret <name>', 'the Secret named by existingSecret in secrets mode (default: backend-accounts)')
    .option('--credentials <file>', 'the credentials file in secrets mode (default: <values>.credentials.yaml)')
    .option('--generate-passwords', 'generate every missing user password and link secret')
    .option('--orchestrator-values <file>', "cross-check channels and membership against the orchestrator chart's values");
  return { command: withDeployOptions(withReportOptions(command)), givenSettings };
}

function declareDeploy(program: CommandUnknownOpts) {
  const deploy = program
    .command('deploy')
    .description('run the deployment steps for a values file: repository, CA and client Secrets, helm upgrade --install')
    .requiredOption('--values <file>', 'the values file to deploy')
    .option('--orchestrator-ca-cert <file>', 'the orchestrator CA certificate file to put in the cluster')
    .option('--client-cert <file>', 'the mTLS client certificate file to put in the cluster')
    .option('--client-key <file>', 'the mTLS client key file')
    .option('--credentials <file>', 'the credentials file when the values use existingSecret (default: <values>.credentials.yaml)')
    .addHelpText('after', EXAMPLES_DEPLOY);
  return withReportOptions(withDeployOptions(deploy));
}

type InitOptions = OptionsOf<ReturnType<typeof declareInit>['command']>;
type DeployOptions = OptionsOf<ReturnType<typeof declareDeploy>>;
/** What `init --deploy` hands on to the deployment: every deploy option but --values. */
type HandedOnDeployOptions = Omit<DeployOptions, 'values'>;

// init takes every deploy option but --values (deployFlags(opts) below checks their types): an
// option added to deploy alone fails to compile here.
const initTakesEveryDeployOption: [Exclude<keyof HandedOnDeployOptions, keyof InitOptions>] extends [never] ? true : false = true;
void initTakesEveryDeployOption;

function deployFlags(opts: HandedOnDeployOptions): Omit<DeployFlags, 'values'> {
  return {
    dryRun: Boolean(opts.dryRun),
    release: opts.release,
    namespace: opts.namespace,
    createNamespace: Boolean(opts.createNamespace),
    kubeContext: opts.kubeContext,
    repoName: opts.repoName,
    repoUrl: opts.repoUrl,
    timeout: opts.timeout,
    wait: Boolean(opts.wait),
    allowDeletions: Boolean(opts.allowDeletions),
    diff: Boolean(opts.diff),
    orchestratorCaCert: opts.orchestratorCaCert,
    clientCert: opts.clientCert,
    clientKey: opts.clientKey,
    credentials: opts.credentials,
    json: Boolean(opts.json),
  };
}

function initFlags(opts: InitOptions, givenSettings: () => GivenSettings): InitFlags {
  return {
    values: opts.values,
    output: opts.output,
    force: Boolean(opts.force),
    generatePasswords: Boolean(opts.generatePasswords),
    orchestratorValues: opts.orchestratorValues,
    chartVersion: opts.chartVersion,
    ...givenSettings(),
    dryRun: Boolean(opts.dryRun),
    secretsMode: opts.secretsMode,
    yamlSchema: opts.yamlSchema,
    accountsSecret: opts.accountsSecret,
    credentials: opts.credentials,
    deploy: Boolean(opts.deploy),
    deployOptions: deployFlags(opts),
  };
}

const EXAMPLES_INIT = `
Examples:
  $ substra-deploy init
  $ substra-deploy init --non-interactive --organization ingen --host-domain cluster-1.example.com \\
      --orchestrator-host orchestrator.cluster-1.example.com --orchestrator-tls \\
      --channel our-channel,model-export --user admin,channel=our-channel,password-env=ADMIN_PASSWORD
  $ substra-deploy init --values backend-values.yaml --user bob,password-env=BOB_PASSWORD
  $ substra-deploy init --values backend-values.yaml --remove-user bob
  $ substra-deploy init --non-interactive … --deploy --namespace substra --orchestrator-ca-cert ca.pem --dry-run`;

const EXAMPLES_DEPLOY = `
Examples:
  $ substra-deploy deploy --values backend-values.yaml --dry-run
  $ substra-deploy deploy --values backend-values.yaml --namespace substra --create-namespace \\
      --orchestrator-ca-cert orchestrator-ca.pem --client-cert client.pem --client-key client-key.pem
  $ substra-deploy deploy --values backend-values.yaml --kube-context prod --chart-version 26.15.3 --timeout 10m`;

const EXAMPLES_VERIFY = `
Examples:
  $ substra-deploy verify --url https://api.cluster-1.example.com
  $ ADMIN_PASSWORD=… substra-deploy verify --url https://api.cluster-1.example.com --user admin --password-env ADMIN_PASSWORD
  $ substra-deploy verify --peers ingen-values.yaml --peer-url biotechnica=https://api.biotechnica.example.com \\
      --peer-url ingen=https://api.ingen.example.com --ca-cert private-ca.pem --json`;

const EXAMPLES_VALIDATE = `
Examples:
  $ substra-deploy validate backend-values.yaml
  $ substra-deploy validate backend-values.yaml --orchestrator-values orchestrator-values.yaml --json
  $ substra-deploy validate ingen-values.yaml --peers biotechnica-values.yaml tyrell-values.yaml
  $ substra-deploy validate backend-values.yaml --chart-version 26.14.2 --orchestrator-chart-version 8.7.7 --frontend-chart-version 1.2.3`;

const EXAMPLES_NETWORK = `
Examples:
  $ substra-deploy network network.yaml --output-dir deploy/
  $ substra-deploy network network.yaml --output-dir deploy/ --dry-run

A network file:
  orchestrator: {host: orchestrator.example.com, tls: true}
  channels:
    - {name: shared, members: [ingen, biotechnica], modelExport: true}
    - {name: ingen-only, members: [ingen], restricted: true}
  organizations:
    - {name: ingen, domain: ingen.example.com, users: [{name: admin, channel: shared}]}
    - {name: biotechnica, mspID: BiotechnicaMSP, domain: bio.example.com, users: [{name: admin}]}`;

const EXAMPLES_FRONTEND = `
Examples:
  $ substra-deploy frontend --backend-values backend-values.yaml --host substra.cluster-1.example.com \\
      --cluster-issuer letsencrypt-prod --ingress-class nginx
  $ substra-deploy frontend --backend-values backend-values.yaml --host substra.cluster-1.example.com --tls-secret substra-tls --dry-run
  $ substra-deploy validate backend-values.yaml --frontend frontend-values.yaml`;

const EXAMPLES_MIGRATE = `
Examples:
  $ substra-deploy migrate backend-values.yaml --from 22.5.1
  $ substra-deploy migrate backend-values.yaml --release backend --namespace substra
  $ substra-deploy migrate backend-values.yaml --from 18.0.0 --to 26.15.3 --dry-run --json`;

const EXAMPLES_SCHEMA = `
Examples:
  $ substra-deploy schema -o substra-backend.schema.json
  $ substra-deploy init --values backend-values.yaml --yaml-schema ./substra-backend.schema.json`;

const EXAMPLES_COMPLETION = `
Examples:
  $ substra-deploy completion bash > /etc/bash_completion.d/substra-deploy
  $ substra-deploy completion zsh > "\${fpath[1]}/_substra-deploy"
  $ substra-deploy completion fish > ~/.config/fish/completions/substra-deploy.fish`;

const EXAMPLES_LINK = `
Examples:
  $ substra-deploy link ingen-values.yaml biotechnica-values.yaml tyrell-values.yaml
  $ substra-deploy link ingen-values.yaml biotechnica-values.yaml --rotate`;

export async function main(io: CliIO): Promise<number> {
  startRun();
  const term: Term = createTerm({ stdout: io.stdout, stderr: io.stderr, env: io.env, noColor: io.argv.includes('--no-color') });
  let exitCode = 0;
  const program = new Command('substra-deploy')
    .description('From nothing to a running Substra backend: write, check and deploy substra-backend values.')
    .version(io.version, '-V, --version')
    .option('--no-color', 'no colour in output (also NO_COLOR=1)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: (s, write) => write(s),
    })
    .showSuggestionAfterError(true);

  const passwords = new PasswordPool(io.passwordWorkerFile);
  // The running command's record; with --json it is printed once, on success or failure.
  let outcome = new Outcome('substra-deploy');
  let json = false;
  let started = false;
  program.hook('preAction', (_program, action) => {
    started = true;
    outcome = new Outcome(action.name());
    json = Boolean(action.opts().json);
  });
  // The flag and CI first: a run they make non-interactive never opens stdin.
  const isInteractive = (nonInteractive: boolean) =>
    !nonInteractive && !truthyCI(io.env.CI) && Boolean(io.stdin.isTTY && io.stdout.isTTY);
  const context = (interactive: boolean): CommandContext => {
    let prompter = io.prompter;
    return {
      term,
      env: io.env,
      cwd: io.cwd,
      interactive,
      prompter: () => (prompter ??= inquirerPrompter({ input: io.stdin, output: io.stderr, color: term.color.level > 0 })),
      checkPasswords: passwords.check,
      outcome,
    };
  };

  const init = declareInit(program);
  init.command.action(async (opts) => {
    const interactive = isInteractive(Boolean(opts.nonInteractive));
    const { runInit } = await import('./commands/init.js');
    exitCode = await runInit(initFlags(opts, init.givenSettings), context(interactive));
  });

  declareDeploy(program).action(async (opts) => {
    const interactive = isInteractive(false);
    const { runDeploy } = await import('./commands/deploy.js');
    exitCode = await runDeploy({ ...deployFlags(opts), values: opts.values, chartVersion: opts.chartVersion }, context(interactive));
  });

  const link = program
    .command('link')
    .description('write matching incoming/outgoing organization entries into every values file (each pair gets its own secret)')
    .argument('<files...>', 'one backend values file per organization')
    .addHelpText('after', EXAMPLES_LINK);
  withReportOptions(withLinkOptions(link)).action(async (files, opts) => {
    const { runLink } = await import('./commands/link.js');
    exitCode = await runLink(files, opts, context(false));
  });

  const network = program
    .command('network')
    .description('one file of organizations, channels and users → a linked values file per organization and the orchestrator channels')
    .argument('<file>', 'the network file (YAML)')
    .option('--output-dir <dir>', 'where the files go (default: the current folder)')
    .option('--prune', 'remove accounts the network file no longer names (the chart deletes them at the next upgrade)')
    .option('--dry-run', 'say what would be written, write nothing')
    .addHelpText('after', EXAMPLES_NETWORK);
  withReportOptions(withLinkOptions(network)).action(async (spec, opts) => {
    const { runNetwork } = await import('./commands/network.js');
    exitCode = await runNetwork(spec, opts, context(false));
  });

  program
    .command('verify')
    .description("check that a deployed backend answers and, with --user, that the user exists and logs in; with --peers, that each outgoing organization's backend accepts this backend's calls")
    .option('--url <url>', 'the backend URL, e.g. https://api.cluster-1.example.com (with --peers: default server.defaultDomain)')
    .option('--peers <file>', "a backend values file: call each outgoing organization's backend as this one will (HTTP Basic with its mspID and the outgoing secret)")
    .option('--peer-url <mspid=url...>', "where that outgoing organization's backend answers: its server.defaultDomain (repeatable; several may follow one --peer-url)", collect)
    .option('--ca-cert <pem>', 'a private CA to trust for the peers, besides the system CAs')
    .option('--credentials <file>', 'the credentials file of a --peers file using existingSecret (default: <values>.credentials.yaml)')
    .option('--user <name>', 'log in as this user (with --peers: and read /info/ to see whether the backend reaches its orchestrator)')
    .option('--password-env <var>', 'read the password from this environment variable')
    .option('--password-file <path>', 'read the password from this file')
    .addOption(durationOption('--timeout <duration>', 'how long each request may take (default: 15s)'))
    .option('--json', 'print a machine-readable report on stdout')
    .addHelpText('after', EXAMPLES_VERIFY)
    .action(async (opts) => {
      const { runVerify } = await import('./commands/verify.js');
      exitCode = await runVerify(opts, context(isInteractive(false)));
    });

  const validate = program
    .command('validate')
    .description('check an existing values file with the same rules as init; changes nothing')
    .argument('<file>', 'the values file')
    .option('--orchestrator-values <file>', "cross-check channels and membership against the orchestrator chart's values")
    .option('--peers <files...>', "other organizations' values files: report every link that does not pair up")
    .option('--frontend <file>', "the substra-frontend values: check that the frontend and this backend work together (API URL, CORS, cookie domain, https)")
    .option('--credentials <file>', 'the credentials file of a values file using existingSecret (default: <values>.credentials.yaml)')
    .addOption(versionOption('--orchestrator-chart-version <v>', `the orchestrator chart deployed with it: warn unless Substra released it with the backend chart (newest known: ${NEWEST_KNOWN_ORCHESTRATOR_CHART})`))
    .addOption(versionOption('--frontend-chart-version <v>', `the substra-frontend chart deployed with it: warn unless Substra released it with the backend chart (newest known: ${NEWEST_KNOWN_FRONTEND_CHART})`))
    .addHelpText('after', EXAMPLES_VALIDATE);
  withReportOptions(validate).action(async (file, opts) => {
    const { runValidate } = await import('./commands/validate.js');
    exitCode = await runValidate(file, opts, context(false));
  });

  program
    .command('frontend')
    .description("write the substra-frontend values and make the backend's config agree (CORS origins with credentials, CSRF)")
    .option('--backend-values <file>', 'the backend values file to read and update in place (only its config lines change)')
    .option('-o, --output <file>', 'where the frontend values go (default: frontend-values.yaml; an existing one is edited)')
    .option('--host <host>', "the frontend host, under the backend's server.commonHostDomain [env: SUBSTRA_FRONTEND_HOST]")
    .option('--tls-secret <name>', "the Secret holding the frontend host's certificate (ingress.tls) [env: SUBSTRA_FRONTEND_TLS_SECRET]")
    .option('--cluster-issuer <name>', 'a cert-manager ClusterIssuer that makes that certificate [env: SUBSTRA_FRONTEND_CLUSTER_ISSUER]')
    .option('--ingress-class <name>', 'the ingress class (the annotation kubernetes.io/ingress.class: the chart has no class key) [env: SUBSTRA_FRONTEND_INGRESS_CLASS]')
    .option('--non-interactive', 'never prompt (also when stdin/stdout are not terminals or CI is set)')
    .option('--dry-run', 'show what would change, write nothing')
    .option('--json', 'print a machine-readable report on stdout')
    .addHelpText('after', EXAMPLES_FRONTEND)
    .action(async (opts) => {
      const { runFrontend } = await import('./commands/frontend.js');
      exitCode = await runFrontend(opts, context(isInteractive(Boolean(opts.nonInteractive))));
    });

  program
    .command('migrate')
    .description('carry a values file to another chart version: rewrite what the charts in between renamed or dropped, then list the steps in the cluster')
    .argument('<file>', 'the values file')
    .addOption(versionOption('--from <v>', 'the chart version the file was written for'))
    .option('--release <name>', 'read --from from this deployed helm release (helm list)')
    .option('--namespace <ns>', "the release's namespace (with --release)")
    .option('--kube-context <ctx>', 'the kube context (with --release)')
    .addOption(versionOption('--to <v>', `the chart version to carry it to (default: ${NEWEST_KNOWN_CHART})`))
    .option('--dry-run', 'say what would be rewritten, write nothing')
    .option('--credentials <file>', 'the credentials file of a values file using existingSecret (default: <values>.credentials.yaml)')
    .option('--json', 'print a machine-readable report on stdout')
    .addHelpText('after', EXAMPLES_MIGRATE)
    .action(async (file, opts) => {
      const { runMigrate } = await import('./commands/migrate.js');
      exitCode = await runMigrate(file, opts, context(false));
    });

  program
    .command('schema')
    .description('print a JSON Schema of the values the tool manages, for editors and CI')
    .option('-o, --output <file>', 'write it to this file instead of stdout')
    .option('--force', 'replace an --output that is not a schema this command wrote')
    .addOption(chartVersionOption())
    .addHelpText('after', EXAMPLES_SCHEMA)
    .action(async (opts) => {
      const { runSchema } = await import('./commands/schema.js');
      exitCode = await runSchema(opts, context(false));
    });

  program
    .command('completion')
    .description('print a shell completion script')
    .addArgument(new Argument('<shell>', 'the shell').choices(['bash', 'zsh', 'fish']))
    .addHelpText('after', EXAMPLES_COMPLETION)
    .action(async (shell) => {
      const { completionScript, describeProgram } = await import('./commands/completion.js');
      io.stdout.write(completionScript(shell, describeProgram(program)));
    });

  const printDocument = (errors: Problem[]) => {
    if (json) term.out(JSON.stringify(outcome.document(errors), null, 2));
  };
  setInterruptionDocument((message) => (json ? JSON.stringify(outcome.document([{ message }]), null, 2) : undefined));
  try {
    await program.parseAsync(io.argv, { from: 'user' });
    printDocument([]);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return 0;
      if (error.code === 'commander.executeSubCommandAsync') return error.exitCode;
    }
    if (!started) {
      // A parse error comes before the command's options are read: --json is taken from argv.
      const named = commandAsked(program, io.argv);
      if (named) outcome = new Outcome(named.name());
      json = Boolean(named?.options.some((o) => o.long === '--json') && io.argv.includes('--json'));
    }
    // commander printed its message already; every parse problem is a usage error.
    const code = error instanceof CommanderError ? 2 : reportError(error, term);
    printDocument(problemsOf(error));
    return code;
  } finally {
    await passwords.close();
  }
}

/** The command named on the command line, if any. */
function commandAsked(program: CommandUnknownOpts, argv: string[]): CommandUnknownOpts | undefined {
  const name = argv.find((a) => !a.startsWith('-'));
  return program.commands.find((c) => c.name() === name);
}

/** The errors as the JSON document holds them; commander's own messages lose their `error: `. */
function problemsOf(error: unknown): Problem[] {
  if (error instanceof ValidationError) return error.issues.map((i) => ({ path: i.path, message: i.message }));
  if (error instanceof UsageError) return error.problems.map((message) => ({ message }));
  if (error instanceof CommanderError) return [{ message: error.message.replace(/^error: /, '') }];
  if (error instanceof Cancelled) return [{ message: 'cancelled' }];
  if (error instanceof Error && ['InputError', 'StepError'].includes(error.name)) {
    const hint = (error as { hint?: string }).hint?.replace(/^hint: /, '');
    return [{ message: error.message, ...(hint ? { hint } : {}) }];
  }
  return [{ message: `unexpected: ${error instanceof Error ? error.message : String(error)}` }];
}

/** Prints an error for people (commander prints its own); returns the exit code. */
function reportError(error: unknown, term: Term): number {
  if (error instanceof ValidationError) {
    if (!error.reported) for (const i of error.issues) term.info(`${i.path}: ${i.message}`);
  } else if (error instanceof UsageError) {
    for (const p of error.problems) term.error(p);
    term.info("see 'substra-deploy --help' (or the command's --help)");
  } else if (error instanceof Cancelled) {
    removePendingTemporaries();
    term.info([interruptionNote(), ...interruptionNotes()].join('\n'));
  } else if (error instanceof Error && ['InputError', 'StepError'].includes(error.name)) {
    term.error(error.message);
    const hint = (error as { hint?: string }).hint;
    if (hint) term.info(hint);
  } else {
    term.error(`unexpected: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 1;
  }
  return exitCodeFor(error);
}
