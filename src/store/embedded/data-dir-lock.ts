/**
 * One process per embedded data directory. The service keeps in-memory indexes (adjacency, labels,
 * clusters, screening distances) in step with its own writes only; a second process writing the same
 * SQLite file would leave them stale (a newly sanctioned address would screen clean). So opening a data
 * directory takes a lock file holding the owner's pid; a lock whose process is gone (kill -9) is stale and
 * taken over.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { AriadneError } from '../../errors.js';

export interface DataDirLock {
  release(): void;
}

interface LockInfo {
  pid: number;
  command: string;
  startedAt: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function lockDataDir(dir: string, command = process.argv.slice(1).map((a) => path.basename(a)).join(' ')): DataDirLock {
  const file = path.join(dir, 'ariadne.lock');
  const info: LockInfo = { pid: process.pid, command, startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, `${JSON.stringify(info)}\n`);
      closeSync(fd);
      return {
        release() {
          try {
            const held = JSON.parse(readFileSync(file, 'utf8')) as LockInfo;
            if (held.pid === process.pid) rmSync(file, { force: true });
          } catch {
            // already gone
          }
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let held: LockInfo | null = null;
      try {
        held = JSON.parse(readFileSync(file, 'utf8')) as LockInfo;
      } catch {
        held = null;
      }
      if (held && held.pid !== process.pid && alive(held.pid)) {
        throw new AriadneError(
          'STORE_UNAVAILABLE',
          `the data directory ${dir} is in use by process ${held.pid} (${held.command}, since ${held.startedAt}): stop it first, or, while the service runs, change data through its API (ingestBlocks, importSanctionsList, addLabel)`,
          { pid: held.pid },
          { retriable: false },
        );
      }
      // Stale (its process is gone) or unreadable: take it over.
      rmSync(file, { force: true });
    }
  }
  throw new AriadneError('STORE_UNAVAILABLE', `cannot lock the data directory ${dir}`);
}
