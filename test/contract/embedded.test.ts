import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { EmbeddedStore, openEmbeddedStore } from '../../src/store/embedded/embedded-store.js';
import type { GraphStore } from '../../src/store/graph-store.js';
import { defineGraphStoreContract } from './graph-store.contract.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const dirOf = new WeakMap<GraphStore, string>();

defineGraphStoreContract('embedded', {
  async open() {
    const dir = mkdtempSync(path.join(tmpdir(), 'ariadne-contract-'));
    dirs.push(dir);
    const store = await openEmbeddedStore({ dir });
    dirOf.set(store, dir);
    return store;
  },
  async reopen(store) {
    const dir = dirOf.get(store)!;
    await store.close();
    const again: EmbeddedStore = await openEmbeddedStore({ dir });
    dirOf.set(again, dir);
    return again;
  },
});
