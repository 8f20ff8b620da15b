import { Chalk, type ChalkInstance } from 'chalk';

/**
 * Messages go to stderr, results to stdout. Errors start with `error:` (as commander's own
 * do) and warnings with `warning:`. Colour follows --no-color, NO_COLOR (any non-empty
 * value, as no-color.org asks; chalk alone was seen to ignore it) and FORCE_COLOR.
 */
export interface Term {
  out(text: string): void;
  info(text: string): void;
  warn(text: string): void;
  error(text: string): void;
  success(text: string): void;
  color: ChalkInstance;
  /** where info goes: a spinner draws on this stream, the one the CLI was given */
  infoStream: NodeJS.WritableStream & { isTTY?: boolean };
}

export interface TermOptions {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  noColor?: boolean;
}

export function colorLevel(options: TermOptions): 0 | 1 | 2 | 3 {
  const { env } = options;
  if (options.noColor) return 0;
  if (env.FORCE_COLOR !== undefined) {
    if (env.FORCE_COLOR === '0' || env.FORCE_COLOR === 'false') return 0;
    const n = Number(env.FORCE_COLOR);
    return n >= 1 && n <= 3 ? (n as 1 | 2 | 3) : 1;
  }
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  if (!options.stderr.isTTY || env.TERM === 'dumb') return 0;
  return 1;
}

export function createTerm(options: TermOptions): Term {
  const color = new Chalk({ level: colorLevel(options) });
  const line = (stream: NodeJS.WritableStream, text: string) => stream.write(text.endsWith('\n') ? text : `${text}\n`);
  return {
    color,
    infoStream: options.stderr,
    out: (text) => line(options.stdout, text),
    info: (text) => line(options.stderr, text),
    warn: (text) => line(options.stderr, `${color.yellow('warning:')} ${text}`),
    error: (text) => line(options.stderr, `${color.red('error:')} ${text}`),
    success: (text) => line(options.stderr, `${color.green('✔')} ${text}`),
  };
}
