/** Helpers for DataLoader batch functions over the stores' batched, Map-returning methods. */
import type DataLoader from 'dataloader';

/** Builds a batch function from a store method returning a Map: missing keys resolve to `missing`. */
export function fromMap<K, V, M>(load: (keys: readonly K[]) => Promise<Map<K, V>>, missing: M): DataLoader.BatchLoadFn<K, V | M> {
  return async (keys) => {
    const found = await load(keys);
    return keys.map((k) => (found.has(k) ? found.get(k)! : missing));
  };
}
