/**
 * Process groups of the child processes running now. Apart from exec.ts so that the signal
 * handlers can stop them without loading execa at start-up.
 */
const runningGroups = new Set<number>();

export function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    /* the group is gone */
  }
}

export function trackGroup(pid: number): () => void {
  runningGroups.add(pid);
  return () => runningGroups.delete(pid);
}

/**
 * Stops every child still running, with whatever it started (called when the run is
 * interrupted: children run in their own process groups, so a terminal's Ctrl-C no longer
 * reaches them directly).
 */
export function stopRunningCommands(): void {
  for (const pid of runningGroups) killGroup(pid, 'SIGTERM');
  runningGroups.clear();
}
