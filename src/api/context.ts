/**
 * Per-request context: the store and per-request DataLoaders, so that one request's lookups are batched
 * into one store call per kind and nothing is cached across requests.
 */
import DataLoader from 'dataloader';
import type { AddressId, TxId } from '../model/address.js';
import type { StoredLabel } from '../model/label.js';
import type { Transaction } from '../model/transaction.js';
import type { App } from '../app.js';
import type { AddressSummary, GraphStore } from '../store/graph-store.js';

export interface Loaders {
  address: DataLoader<AddressId, AddressSummary | null>;
  transaction: DataLoader<TxId, Transaction | null>;
  labels: DataLoader<AddressId, StoredLabel[]>;
}

export interface ApiContext {
  app: App;
  store: GraphStore;
  loaders: Loaders;
}

/** Builds a batch function from a store method returning a Map: missing keys resolve to `missing`. */
function fromMap<K, V, M>(load: (keys: readonly K[]) => Promise<Map<K, V>>, missing: M): DataLoader.BatchLoadFn<K, V | M> {
  return async (keys) => {
    const found = await load(keys);
    return keys.map((k) => (found.has(k) ? found.get(k)! : missing));
  };
}

export function createContext(app: App): ApiContext {
  const { store } = app;
  return {
    app,
    store,
    loaders: {
      address: new DataLoader(fromMap((ids) => store.getAddresses(ids), null)),
      transaction: new DataLoader(fromMap((ids) => store.getTransactions(ids), null)),
      labels: new DataLoader(fromMap((ids) => store.getLabels(ids), [] as StoredLabel[])),
    },
  };
}
