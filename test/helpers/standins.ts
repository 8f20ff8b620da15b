import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
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
  /** and, when given, when stdin contains this (one line) */
  stdinMatch?: string;
  exit?: number;
  stdout?: string;
  stderr?: string;
  hang?: boolean;
  /** print what came on stdin to stderr, as tools quoting the object they refused do */
  echoStdin?: boolean;
  /** print base64 of what came on stdin to stderr (wrapped at 76 columns, as `base64` does) */
  echoStdinBase64?: boolean;
}

export interface Call {
  bin: string;
  argv: string[];
  stdin: string;
}

/*
 * A POSIX shell script, not node: a deploy makes some fifteen helm/kubectl calls, and a node
 * start-up for each was most of a deploy test's time. A call is recorded as a folder
 * STANDIN_LOG/<n> (mkdir is atomic, so concurrent calls get distinct numbers) holding argv
 * (NUL-separated), stdin and bin. Rules come as folders of files, one file per field. The
 * script's own commands (mkdir, cat, grep, sleep) are found on a PATH of its own, so a test
 * may give the CLI a PATH without them.
 */
const SCRIPT = (bin: string) => `#!/bin/sh
bin=${bin}
callerPath=$PATH
PATH=/usr/bin:/bin
n=0
while ! mkdir "$STANDIN_LOG/$n" 2>/dev/null; do n=$((n + 1)); done
call=$STANDIN_LOG/$n
for arg in "$@"; do printf '%s\\0' "$arg"; done > "$call/argv"
if [ -t 0 ]; then : > "$call/stdin"; else cat > "$call/stdin" 2>/dev/null; fi
printf '%s' "$bin" > "$call/bin"
joined="$*"
if [ -n "$STANDIN_RULES" ]; then
  for rule in "$STANDIN_RULES"/*; do
    [ -d "$rule" ] || continue
    IFS= read -r field < "$rule/bin" || :
    [ "$field" = "$bin" ] || continue
    IFS= read -r field < "$rule/match" || :
    case "$joined" in *"$field"*) ;; *) continue ;; esac
    if [ -f "$rule/stdinMatch" ]; then
      IFS= read -r field < "$rule/stdinMatch" || :
      grep -qF -e "$field" "$call/stdin" || continue
    fi
    [ -f "$rule/hang" ] && exec sleep 86400
    if [ -f "$rule/echoStdin" ]; then printf 'error: error validating "STDIN": the object was:\\n' >&2; cat "$call/stdin" >&2; fi
    [ -f "$rule/echoStdinBase64" ] && base64 < "$call/stdin" >&2
    [ -f "$rule/stdout" ] && cat "$rule/stdout"
    [ -f "$rule/stderr" ] && cat "$rule/stderr" >&2
    IFS= read -r field < "$rule/exit" || :
    exit "$field"
  done
fi
answer() { printf '%s\\n' "$1"; exit 0; }
if [ "$bin" = helm ]; then
  [ "$1" = upgrade ] && answer "Release \\"$3\\" has been upgraded. Happy Helming!"
  # A cluster with nothing deployed yet: no release to read, no accounts Secret.
  if [ "$1" = get ]; then printf 'Error: release: not found\\n' >&2; exit 1; fi
fi
if [ "$bin" = kubectl ]; then
  case "$1 $joined" in "get "*"-o json"*) printf 'Error from server (NotFound): %ss "%s" not found\\n' "$2" "$3" >&2; exit 1 ;; esac
  case "$joined" in
    "config current-context"*) answer test-context ;;
    "config get-contexts"*) answer "$3" ;;
    "get --raw /version"*) answer '{"gitVersion":"v1.33.0"}' ;;
  esac
  case "$1" in
    get) answer "$2/$3" ;;
    auth) answer yes ;;
    apply) answer applied ;;
  esac
fi
if [ "$bin" = helm ]; then real=$REAL_HELM; else real=$REAL_KUBECTL; fi
PATH=$callerPath
exec "$real" "$@" < "$call/stdin"
`;

export class StandIns {
  readonly dir = tempDir('standins-');
  readonly bin = path.join(this.dir, 'bin');
  readonly log = path.join(this.dir, 'calls');
  private rulesMade = 0;

  constructor(binaries: Array<'helm' | 'kubectl'> = ['helm', 'kubectl']) {
    mkdirSync(this.bin);
    for (const name of binaries) {
      writeFileSync(path.join(this.bin, name), SCRIPT(name));
      chmodSync(path.join(this.bin, name), 0o755);
    }
    mkdirSync(this.log);
  }

  /** PATH with the stand-ins first; `withReal: false` leaves the real tools out entirely. */
  env(rules: StandInRule[] = [], extra: Record<string, string> = {}): Record<string, string> {
    const helmHome = path.join(this.dir, 'helm');
    return {
      PATH: `${this.bin}:${path.dirname(process.execPath)}:/usr/bin:/bin`,
      HOME: this.dir,
      STANDIN_LOG: this.log,
      STANDIN_RULES: this.writeRules(rules),
      REAL_HELM: path.join(TOOLS, 'helm'),
      REAL_KUBECTL: path.join(TOOLS, 'kubectl'),
      HELM_CONFIG_HOME: path.join(helmHome, 'config'),
      HELM_CACHE_HOME: path.join(helmHome, 'cache'),
      HELM_DATA_HOME: path.join(helmHome, 'data'),
      ...extra,
    };
  }

  /** The rules as the script reads them: a folder per rule, in order, a file per field given. */
  private writeRules(rules: StandInRule[]): string {
    if (rules.length === 0) return '';
    const dir = path.join(this.dir, `rules-${(this.rulesMade += 1)}`);
    rules.forEach((rule, i) => {
      if ([rule.match, rule.stdinMatch ?? ''].some((s) => s.includes('\n'))) throw new Error('a stand-in rule matches one line');
      const folder = path.join(dir, String(i).padStart(3, '0'));
      mkdirSync(folder, { recursive: true });
      const fields: Record<string, string | undefined> = {
        bin: rule.bin,
        match: rule.match,
        stdinMatch: rule.stdinMatch || undefined,
        exit: String(rule.exit ?? 1),
        stdout: rule.stdout || undefined,
        stderr: rule.stderr || undefined,
        hang: rule.hang ? '' : undefined,
        echoStdin: rule.echoStdin ? '' : undefined,
        echoStdinBase64: rule.echoStdinBase64 ? '' : undefined,
      };
      for (const [field, value] of Object.entries(fields)) if (value !== undefined) writeFileSync(path.join(folder, field), value);
    });
    return dir;
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
    const read = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8') : '');
    return readdirSync(this.log)
      .map(Number)
      .sort((a, b) => a - b)
      .map((n) => {
        const call = path.join(this.log, String(n));
        const argv = read(path.join(call, 'argv')).split('\0');
        argv.pop();
        return { bin: read(path.join(call, 'bin')), argv, stdin: read(path.join(call, 'stdin')) };
      });
  }

  clearCalls(): void {
    for (const entry of readdirSync(this.log)) rmSync(path.join(this.log, entry), { recursive: true, force: true });
  }
}
