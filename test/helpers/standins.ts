import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { TOOLS, tempDir } from './cli.js';

/**
 * Stand-in helm and kubectl for what a real binary cannot do here (there is no cluster) or
 * will not do on demand (fail, hang, be forbidden). Everything that needs no cluster
 * (helm repo/search/template, kubectl create --dry-run=client, versions) is passed to the
 * real binaries. Every call's argv and stdin is recorded for assertions.
 */
export interface StandInRule {
  bin: 'helm' | 'kubectl';
  /** matches when the joined argv contains this */
  match: string;
  /** and, when given, when stdin contains this */
  stdinMatch?: string;
  exit?: number;
  stdout?: string;
  stderr?: string;
  hang?: boolean;
  /** print what came on stdin to stderr, as tools quoting the object they refused do */
  echoStdin?: boolean;
}

export interface Call {
  bin: string;
  argv: string[];
  stdin: string;
}

const SCRIPT = (bin: string) => `#!/usr/bin/env node
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const bin = ${JSON.stringify(bin)};
const argv = process.argv.slice(2);
let stdin = '';
try { stdin = fs.readFileSync(0, 'utf8'); } catch {}
fs.appendFileSync(process.env.STANDIN_LOG, JSON.stringify({ bin, argv, stdin }) + '\\n');
const joined = argv.join(' ');
for (const rule of JSON.parse(process.env.STANDIN_RULES || '[]')) {
  if (rule.bin !== bin || !joined.includes(rule.match)) continue;
  if (rule.stdinMatch && !stdin.includes(rule.stdinMatch)) continue;
  if (rule.hang) { setInterval(() => {}, 1000); return; }
  if (rule.echoStdin) process.stderr.write('error: error validating "STDIN": the object was:\\n' + stdin);
  if (rule.stdout) process.stdout.write(rule.stdout);
  if (rule.stderr) process.stderr.write(rule.stderr);
  process.exit(rule.exit ?? 1);
}
const answer = (out) => { process.stdout.write(out); process.exit(0); };
if (bin === 'helm' && argv[0] === 'upgrade') answer('Release "' + argv[2] + '" has been upgraded. Happy Helming!\\n');
// A cluster with nothing deployed yet: no release to read, no accounts Secret.
const absent = (what) => { process.stderr.write(what); process.exit(1); };
if (bin === 'helm' && argv[0] === 'get') absent('Error: release: not found\\n');
if (bin === 'kubectl' && argv[0] === 'get' && joined.includes('-o json')) absent('Error from server (NotFound): ' + argv[1] + 's "' + argv[2] + '" not found\\n');
if (bin === 'kubectl') {
  if (joined.startsWith('config current-context')) answer('test-context\\n');
  if (joined.startsWith('config get-contexts')) answer(argv[2] + '\\n');
  if (joined.startsWith('get --raw /version')) answer('{"gitVersion":"v1.33.0"}\\n');
  if (argv[0] === 'get') answer(argv[1] + '/' + argv[2] + '\\n');
  if (argv[0] === 'auth') answer('yes\\n');
  if (argv[0] === 'apply') answer('applied\\n');
}
const real = process.env['REAL_' + bin.toUpperCase()];
const result = spawnSync(real, argv, { input: stdin, stdio: ['pipe', 'inherit', 'inherit'] });
process.exit(result.status === null ? 1 : result.status);
`;

export class StandIns {
  readonly dir = tempDir('standins-');
  readonly bin = path.join(this.dir, 'bin');
  readonly log = path.join(this.dir, 'calls.jsonl');

  constructor(binaries: Array<'helm' | 'kubectl'> = ['helm', 'kubectl']) {
    mkdirSync(this.bin);
    for (const name of binaries) {
      writeFileSync(path.join(this.bin, name), SCRIPT(name));
      chmodSync(path.join(this.bin, name), 0o755);
    }
    writeFileSync(this.log, '');
  }

  /** PATH with the stand-ins first; `withReal: false` leaves the real tools out entirely. */
  env(rules: StandInRule[] = [], extra: Record<string, string> = {}): Record<string, string> {
    const helmHome = path.join(this.dir, 'helm');
    return {
      PATH: `${this.bin}:${path.dirname(process.execPath)}:/usr/bin:/bin`,
      HOME: this.dir,
      STANDIN_LOG: this.log,
      STANDIN_RULES: JSON.stringify(rules),
      REAL_HELM: path.join(TOOLS, 'helm'),
      REAL_KUBECTL: path.join(TOOLS, 'kubectl'),
      HELM_CONFIG_HOME: path.join(helmHome, 'config'),
      HELM_CACHE_HOME: path.join(helmHome, 'cache'),
      HELM_DATA_HOME: path.join(helmHome, 'data'),
      ...extra,
    };
  }

  /**
   * Replaces `bin` by a shell script that, when its argv contains `match`, writes its pid to
   * `marker` and runs `sleep SECONDS` as a child (not exec), as a wrapper script around helm
   * would; any other call goes to the usual stand-in.
   */
  sleepOn(bin: 'helm' | 'kubectl', match: string, seconds: string, marker: string): void {
    const inner = path.join(this.bin, `${bin}-standin`);
    renameSync(path.join(this.bin, bin), inner);
    writeFileSync(
      path.join(this.bin, bin),
      `#!/bin/sh\ncase " $* " in\n  *${JSON.stringify(match).slice(1, -1)}*) echo $$ > ${JSON.stringify(marker)}; sleep ${seconds}; exit 0;;\nesac\nexec ${JSON.stringify(inner)} "$@"\n`,
    );
    chmodSync(path.join(this.bin, bin), 0o755);
  }

  calls(): Call[] {
    return readFileSync(this.log, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Call);
  }

  clearCalls(): void {
    writeFileSync(this.log, '');
  }
}
