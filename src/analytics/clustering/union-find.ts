/**
 * Disjoint sets (union-find) over string keys, with path compression and union by size.
 *
 * Keys get dense integer slots in insertion order; `find` compresses the path it walks (two passes, no
 * recursion, so a long chain cannot overflow the stack) and `union` hangs the smaller tree under the larger
 * one (ties: the older slot wins), which keeps trees O(log n) deep even before compression.
 * Amortised cost per operation: O(alpha(n)).
 *
 * [Reference]: Tarjan, Robert E. "Efficiency of a Good But Not Linear Set Union Algorithm", JACM 22(2), 1975.
 */

export interface UnionOutcome {
  /** False when both keys were already in one set. */
  merged: boolean;
  /** Slot of the root of the resulting set. */
  root: number;
  /** Slot of the root that was hung under `root` (equal to `root` when nothing merged). */
  absorbed: number;
}

export class UnionFind {
  private readonly slots = new Map<string, number>();
  private readonly keys: string[] = [];
  private readonly parent: number[] = [];
  private readonly sizes: number[] = [];
  private sets = 0;

  /** Number of keys. */
  get count(): number {
    return this.keys.length;
  }

  /** Number of disjoint sets. */
  get setCount(): number {
    return this.sets;
  }

  has(key: string): boolean {
    return this.slots.has(key);
  }

  /** Slot of `key`, adding it as a singleton set when new. */
  add(key: string): number {
    let slot = this.slots.get(key);
    if (slot === undefined) {
      slot = this.keys.length;
      this.slots.set(key, slot);
      this.keys.push(key);
      this.parent.push(slot);
      this.sizes.push(1);
      this.sets++;
    }
    return slot;
  }

  slotOf(key: string): number | undefined {
    return this.slots.get(key);
  }

  keyOf(slot: number): string {
    const key = this.keys[slot];
    if (key === undefined) throw new RangeError(`union-find: no slot ${slot} (have ${this.keys.length})`);
    return key;
  }

  /** Root slot of the set holding `slot`. */
  findSlot(slot: number): number {
    let root = slot;
    while (this.parent[root] !== root) root = this.parent[root]!;
    // Second pass: point every node on the path straight at the root.
    let node = slot;
    while (node !== root) {
      const next = this.parent[node]!;
      this.parent[node] = root;
      node = next;
    }
    return root;
  }

  /** Root slot of the set holding `key`, or undefined when the key is unknown. */
  find(key: string): number | undefined {
    const slot = this.slots.get(key);
    return slot === undefined ? undefined : this.findSlot(slot);
  }

  /** Size of the set whose root (or member) is `slot`. */
  sizeOfSlot(slot: number): number {
    return this.sizes[this.findSlot(slot)]!;
  }

  /** Merges the sets of two keys (adding unknown keys first). */
  union(a: string, b: string): UnionOutcome {
    return this.unionSlots(this.add(a), this.add(b));
  }

  unionSlots(a: number, b: number): UnionOutcome {
    let ra = this.findSlot(a);
    let rb = this.findSlot(b);
    if (ra === rb) return { merged: false, root: ra, absorbed: ra };
    // Union by size; on a tie the older slot stays root so that the result does not depend on argument order.
    if (this.sizes[ra]! < this.sizes[rb]! || (this.sizes[ra] === this.sizes[rb] && rb < ra)) [ra, rb] = [rb, ra];
    this.parent[rb] = ra;
    this.sizes[ra]! += this.sizes[rb]!;
    this.sets--;
    return { merged: true, root: ra, absorbed: rb };
  }
}
