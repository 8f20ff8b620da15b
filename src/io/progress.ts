import type { Term } from './term.js';

/** A spinner while a step runs in a terminal; plain lines in CI and pipes. */
export interface Progress {
  start(title: string): void;
  succeed(title: string): void;
  fail(title: string): void;
}

export async function createProgress(term: Term, stream: NodeJS.WritableStream & { isTTY?: boolean }, animated: boolean): Promise<Progress> {
  if (!animated || !stream.isTTY) {
    return {
      start: (title) => term.info(`${term.color.dim('›')} ${title}`),
      succeed: (title) => term.success(title),
      fail: (title) => term.info(`${term.color.red('✖')} ${title}`),
    };
  }
  const { default: yoctoSpinner } = await import('yocto-spinner');
  let spinner: ReturnType<typeof yoctoSpinner> | undefined;
  return {
    start: (title) => {
      spinner = yoctoSpinner({ text: title, stream: stream as NodeJS.WriteStream }).start();
    },
    succeed: (title) => {
      spinner?.success(title);
      spinner = undefined;
    },
    fail: (title) => {
      spinner?.error(title);
      spinner = undefined;
    },
  };
}
