import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** Bytes of every file under `dir` (a store's size on disk). */
export function dirBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    total += entry.isDirectory() ? dirBytes(p) : statSync(p).size;
  }
  return total;
}
