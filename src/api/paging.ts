/**
 * Relay-style cursor connections (https://relay.dev/graphql/connections.htm), forward paging with
 * `first` / `after`. Cursors are opaque base64url text naming the list they belong to and a position: a
 * key (the item's own id, stable when items are added elsewhere in the list) or an offset (for lists read
 * page by page from an index or a store that pages by offset). A cursor of another list, or one that no
 * longer matches an item, is BAD_USER_INPUT.
 */
import { invalidInput } from '../errors.js';
import { pageSize } from './limits.js';

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  edges: Edge<T>[];
  nodes: T[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number | null;
}

export function encodeCursor(list: string, position: string): string {
  return Buffer.from(`${list}\n${position}`, 'utf8').toString('base64url');
}

/** The position a cursor holds; BAD_USER_INPUT when it is not a cursor of `list`. */
export function decodeCursor(list: string, cursor: string): string {
  const text = /^[A-Za-z0-9_-]{1,2000}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const nl = text.indexOf('\n');
  if (nl < 0 || text.slice(0, nl) !== list) throw invalidInput(`invalid cursor ${JSON.stringify(cursor.slice(0, 60))}: expected a cursor returned by this list (${list})`);
  return text.slice(nl + 1);
}

function build<T>(list: string, items: T[], positionOf: (item: T, i: number) => string, hasNext: boolean, hasPrevious: boolean, total: number | null): Connection<T> {
  const edges = items.map((node, i) => ({ cursor: encodeCursor(list, positionOf(node, i)), node }));
  return {
    edges,
    nodes: items,
    pageInfo: { hasNextPage: hasNext, hasPreviousPage: hasPrevious, startCursor: edges[0]?.cursor ?? null, endCursor: edges[edges.length - 1]?.cursor ?? null },
    totalCount: total,
  };
}

/** Pages a list held in memory whose items have unique keys; `after` names the key of the last item seen. */
export function connectionByKey<T>(list: string, items: readonly T[], args: PageArgs, keyOf: (item: T) => string): Connection<T> {
  const first = pageSize(args.first);
  let start = 0;
  if (args.after) {
    const key = decodeCursor(list, args.after);
    const at = items.findIndex((item) => keyOf(item) === key);
    if (at < 0) throw invalidInput(`cursor names ${JSON.stringify(key.slice(0, 80))}, which is no longer in this list: start again without "after"`);
    start = at + 1;
  }
  const page = items.slice(start, start + first);
  return build(list, page, keyOf, start + first < items.length, start > 0, items.length);
}

/** The offset an `after` cursor stands for (0 without one). */
export function offsetAfter(list: string, after: string | null | undefined): number {
  if (!after) return 0;
  const text = decodeCursor(list, after);
  if (!/^[0-9]{1,15}$/.test(text)) throw invalidInput(`invalid cursor: expected a cursor returned by this list (${list})`);
  return Number(text) + 1;
}

/** Pages a list held in memory by position. */
export function connectionByOffset<T>(list: string, items: readonly T[], args: PageArgs): Connection<T> {
  const first = pageSize(args.first);
  const start = offsetAfter(list, args.after);
  return build(list, items.slice(start, start + first), (_n, i) => String(start + i), start + first < items.length, start > 0, items.length);
}

/**
 * A connection over one page read from elsewhere at `offset`: `items` may hold one item more than the page
 * (read to learn whether a next page exists).
 */
export function connectionFromPage<T>(list: string, items: readonly T[], offset: number, first: number, total: number | null): Connection<T> {
  const page = items.slice(0, first);
  const hasNext = total !== null ? offset + page.length < total : items.length > first;
  return build(list, page, (_n, i) => String(offset + i), hasNext, offset > 0, total);
}
