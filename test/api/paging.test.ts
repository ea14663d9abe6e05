/** Relay connections over lists held in memory and pages read elsewhere. */
import { describe, expect, it } from 'vitest';
import { connectionByKey, connectionByOffset, connectionFromPage, decodeCursor, encodeCursor } from '../../src/api/paging.js';

const items = ['a', 'b', 'c', 'd', 'e'];

describe('connectionByKey', () => {
  it('pages forward with the key of the last item seen', () => {
    const p1 = connectionByKey('letters', items, { first: 2 }, (x) => x);
    expect(p1.nodes).toEqual(['a', 'b']);
    expect(p1.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(p1.totalCount).toBe(5);
    const p2 = connectionByKey('letters', items, { first: 2, after: p1.pageInfo.endCursor }, (x) => x);
    expect(p2.nodes).toEqual(['c', 'd']);
    const p3 = connectionByKey('letters', items, { first: 2, after: p2.pageInfo.endCursor }, (x) => x);
    expect(p3.nodes).toEqual(['e']);
    expect(p3.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    expect(p3.edges[0]!.cursor).toBe(p3.pageInfo.endCursor);
  });

  it('refuses a cursor of another list and a key that is gone', () => {
    const other = encodeCursor('numbers', 'b');
    expect(() => connectionByKey('letters', items, { after: other }, (x) => x)).toThrow(/expected a cursor returned by this list \(letters\)/);
    expect(() => connectionByKey('letters', items, { after: encodeCursor('letters', 'zz') }, (x) => x)).toThrow(/no longer in this list/);
  });

  it('answers an empty page for first: 0 and caps the page size', () => {
    expect(connectionByKey('letters', items, { first: 0 }, (x) => x).nodes).toEqual([]);
    expect(() => connectionByKey('letters', items, { first: 501 }, (x) => x)).toThrow(expect.objectContaining({ code: 'LIMIT_EXCEEDED' }));
  });
});

describe('offset cursors', () => {
  it('page a list by position', () => {
    const p1 = connectionByOffset('o', items, { first: 3 });
    const p2 = connectionByOffset('o', items, { first: 3, after: p1.pageInfo.endCursor });
    expect([p1.nodes, p2.nodes]).toEqual([
      ['a', 'b', 'c'],
      ['d', 'e'],
    ]);
  });

  it('tell from one item more than the page whether there is a next page', () => {
    expect(connectionFromPage('p', ['x', 'y', 'z'], 10, 2, null).pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    expect(connectionFromPage('p', ['x', 'y'], 0, 2, null).pageInfo.hasNextPage).toBe(false);
    expect(decodeCursor('p', connectionFromPage('p', ['x', 'y'], 10, 2, null).pageInfo.endCursor!)).toBe('11');
  });
});
