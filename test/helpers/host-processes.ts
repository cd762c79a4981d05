/**
 * The processes a test started on this host, found by a marker on their command line (read from /proc,
 * Linux), for the tests that SIGKILL Fleetwave and check that nothing it started outlives it.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Ids of the host's processes whose command line contains `marker`. */
export function hostProcesses(marker: string): number[] {
  return readdirSync('/proc')
    .filter((n) => /^\d+$/.test(n))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker);
      } catch {
        return false; // gone meanwhile
      }
    })
    .map(Number);
}

/** Waits until `what()` holds (asked every 100 ms); throws after `ms`. */
export async function until(what: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!what()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * The processes holding `marker` still running 10 s after their parent died (none, when they died with
 * it); each is then killed by its id, so the test leaves nothing behind whatever it asserts.
 */
export async function leftBehind(marker: string): Promise<number[]> {
  await until(() => hostProcesses(marker).length === 0, 10_000).catch(() => undefined);
  const left = hostProcesses(marker);
  for (const pid of left) process.kill(pid, 'SIGKILL');
  return left;
}
