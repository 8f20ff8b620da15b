import { spawn, type IPty } from '@lydell/node-pty';
import { BIN, baseEnv } from './cli.js';

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b[()][A-Za-z0-9]|\u001b[=>]/g;

export const KEY = { enter: '\r', down: '\u001b[B', ctrlC: '\u0003', backspace: '\u007f' };

/** The built CLI in a real pseudo-terminal: type keys, wait for what the screen shows. */
export class Terminal {
  private raw = '';
  private waiters: Array<() => void> = [];
  readonly exited: Promise<number>;
  private readonly pty: IPty;

  constructor(args: string[], cwd: string, env: Record<string, string> = {}) {
    this.pty = spawn(process.execPath, [BIN, ...args], {
      name: 'xterm-256color',
      cols: 120,
      rows: 40,
      cwd,
      env: baseEnv({ TERM: 'xterm-256color', ...env }) as Record<string, string>,
    });
    this.pty.onData((data) => {
      this.raw += data;
      for (const w of this.waiters.splice(0)) w();
    });
    this.exited = new Promise((resolve) => this.pty.onExit(({ exitCode }) => resolve(exitCode)));
  }

  /** Everything the program wrote, escape sequences included. */
  get rawOutput(): string {
    return this.raw;
  }

  /** Everything shown so far, colours and cursor moves removed. */
  get text(): string {
    return this.raw.replace(ANSI, '');
  }

  private seen = 0;

  /** Waits until `pattern` appears after what earlier waits consumed. */
  async waitFor(pattern: string | RegExp, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const rest = this.text.slice(this.seen);
      const index = typeof pattern === 'string' ? rest.indexOf(pattern) : rest.search(pattern);
      if (index !== -1) {
        const match = typeof pattern === 'string' ? pattern : (rest.match(pattern)?.[0] ?? '');
        this.seen += index + match.length;
        return;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${String(pattern)}; screen so far:\n${this.text.slice(-3000)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  type(keys: string): void {
    this.pty.write(keys);
  }

  async answer(prompt: string | RegExp, keys: string): Promise<void> {
    await this.waitFor(prompt);
    this.type(keys);
  }

  kill(): void {
    try {
      this.pty.kill();
    } catch {
      /* already gone */
    }
  }
}
