import { Writable } from 'node:stream';
import { Cancelled } from '../core/errors.js';

/** A line of a select list that is shown but cannot be chosen: a heading, or what a heading holds. */
export interface SelectLine {
  separator: string;
}
export type SelectChoice<T> = { name: string; value: T } | SelectLine;

export const isSelectLine = <T>(choice: SelectChoice<T>): choice is SelectLine => 'separator' in choice;

/** Every question the tool asks goes through this; tests pass a scripted one. */
export interface Prompter {
  text(o: { message: string; default?: string; validate?: (value: string) => string | true }): Promise<string>;
  confirm(o: { message: string; default?: boolean }): Promise<boolean>;
  secret(o: { message: string; validate?: (value: string) => string | true | Promise<string | true> }): Promise<string>;
  select<T>(o: { message: string; choices: Array<SelectChoice<T>>; default?: T; pageSize?: number }): Promise<T>;
  checkbox<T>(o: { message: string; choices: Array<{ name: string; value: T; checked?: boolean }> }): Promise<T[]>;
}

export interface PromptStreams {
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  /** false: no colour (--no-color, NO_COLOR, TERM=dumb), which inquirer cannot be told */
  color?: boolean;
}

type TerminalStream = NodeJS.WritableStream & { columns?: number; rows?: number; isTTY?: boolean };

/**
 * The output without colour: inquirer colours by the environment alone (node's styleText),
 * so --no-color would not reach it. Size and resizes pass through, which its layout reads.
 */
function withoutColour(output: TerminalStream): TerminalStream {
  // eslint-disable-next-line no-control-regex
  const SGR = /\u001b\[[0-9;]*m/g;
  const plain = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      output.write(String(chunk).replace(SGR, ''), () => done());
    },
  });
  for (const key of ['columns', 'rows', 'isTTY'] as const) Object.defineProperty(plain, key, { get: () => output[key] });
  output.on('resize', () => plain.emit('resize'));
  // Each prompt ends its output when done, which stderr ignores: so does this, for the next one.
  plain.end = (() => plain) as typeof plain.end;
  return plain;
}

/** The inquirer-backed prompter; inquirer is loaded only when a prompt is shown. */
export function inquirerPrompter(streams: PromptStreams = {}): Prompter {
  const output = streams.output && streams.color === false ? withoutColour(streams.output) : streams.output;
  const context = { input: streams.input, output, clearPromptOnDone: false };
  const lib = () => import('./inquirer.js');
  // A list taller than the terminal scrolls its top away and every redraw then repeats it:
  // past the screen, the list pages instead (the question above it and the help line below stay).
  const fitted = (pageSize: number | undefined) => {
    const rows = (streams.output as { rows?: number } | undefined)?.rows;
    return pageSize !== undefined && rows ? Math.max(5, Math.min(pageSize, rows - 4)) : pageSize;
  };
  async function cancellable<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'ExitPromptError' || name === 'AbortPromptError' || name === 'CancelPromptError') throw new Cancelled();
      throw error;
    }
  }
  return {
    text: (o) =>
      cancellable(async () => (await lib()).input({ message: o.message, default: o.default, validate: o.validate }, context)),
    confirm: (o) => cancellable(async () => (await lib()).confirm({ message: o.message, default: o.default }, context)),
    // No reveal key (inquirer's Ctrl+T): a password shown once stays in scrollback and recordings.
    secret: (o) => cancellable(async () => (await lib()).password({ message: o.message, mask: '*', toggleMask: false, validate: o.validate }, context)),
    select: <T>(o: { message: string; choices: Array<SelectChoice<T>>; default?: T; pageSize?: number }) =>
      cancellable(async () => {
        const { select, Separator } = await lib();
        const choices = o.choices.map((c) => (isSelectLine(c) ? new Separator(c.separator) : c));
        return select<T>({ message: o.message, choices, default: o.default, pageSize: fitted(o.pageSize) }, context);
      }),
    checkbox: <T>(o: { message: string; choices: Array<{ name: string; value: T; checked?: boolean }> }) =>
      cancellable(async () => (await lib()).checkbox<T>({ message: o.message, choices: o.choices }, context)),
  };
}
