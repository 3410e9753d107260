import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Another live process has the embedded database open. */
export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(`The embedded database in ${dataDir} is in use by process ${pid}.`);
  }
}

/** Directories this process holds: a second open in the same process is refused like any other. */
const heldHere = new Set<string>();

/**
 * Embedded PGlite is one process's database: a second process opening the same directory would
 * corrupt it, and PGlite itself does not guard against that. A lock file names the owner by pid and
 * by the process's start time, so a lock left by a process that no longer exists is taken over, also
 * when its pid now belongs to someone else or to this very process (in a container the bot is pid 1
 * on every start, so a lock left by a killed container would otherwise block it for ever).
 */
export function lockDataDir(dataDir: string): () => void {
  const file = join(dataDir, 'capuy.lock');
  const key = resolve(file);
  if (heldHere.has(key)) throw new DataDirLockedError(dataDir, process.pid);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, `${process.pid} ${startTimeOf(process.pid) ?? ''}`.trim());
      closeSync(fd);
      heldHere.add(key);
      return () => {
        heldHere.delete(key);
        rmSync(file, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const [pidText, started] = readFileSync(file, 'utf8').trim().split(/\s+/);
      const pid = Number(pidText);
      if (pid && isOwnerAlive(pid, started)) throw new DataDirLockedError(dataDir, pid);
      rmSync(file, { force: true });
    }
  }
  throw new Error(`could not lock ${dataDir}`);
}

function isOwnerAlive(pid: number, started: string | undefined): boolean {
  // Not held by this process (checked above), so a lock naming our pid is a previous incarnation's.
  if (pid === process.pid) return false;
  if (!isAlive(pid)) return false;
  const now = startTimeOf(pid);
  return !started || !now || started === now;
}

/** The process's start time in clock ticks since boot (Linux); undefined elsewhere. */
function startTimeOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) are separated by single spaces.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
