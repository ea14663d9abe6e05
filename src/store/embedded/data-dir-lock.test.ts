import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { openStore } from '../open-store.js';

const dirs: string[] = [];
const fresh = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'ariadne-lock-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const configFor = (dir: string) => loadConfig({ ARIADNE_DATA_DIR: dir });

describe('embedded data directory lock', () => {
  it('refuses a second opener while the first holds the directory, and frees it on close', async () => {
    const dir = fresh();
    const first = await openStore(configFor(dir));
    // The holder here is this very process, so fake a live other holder: the parent of this test process.
    writeFileSync(path.join(dir, 'ariadne.lock'), JSON.stringify({ pid: process.ppid, command: 'ariadne serve', startedAt: 'then' }));
    await expect(openStore(configFor(dir))).rejects.toMatchObject({
      code: 'STORE_UNAVAILABLE',
      message: expect.stringContaining(`in use by process ${process.ppid} (ariadne serve`),
    });
    await first.close();
  });

  it('takes over the lock of a process that is gone (kill -9)', async () => {
    const dir = fresh();
    const child = spawn(process.execPath, ['-e', '0']);
    const pid = child.pid!;
    await new Promise((r) => child.on('exit', r));
    writeFileSync(path.join(dir, 'ariadne.lock'), JSON.stringify({ pid, command: 'gone', startedAt: 'then' }));
    const store = await openStore(configFor(dir));
    await store.close();
    // Closing released it: opening again works.
    const again = await openStore(configFor(dir));
    await again.close();
  });
});
