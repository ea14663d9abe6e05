import { describe, expect, it } from 'vitest';
import { fatfListOf, loadFatfLists, parseFatfLists } from './fatf-lists.js';

describe('FATF lists data file', () => {
  const lists = loadFatfLists();

  it('carries its as-of date and the lists of the 24 October 2025 plenary', () => {
    expect(lists.asOf).toBe('2025-10-24');
    // Call for action: DPRK, Iran, Myanmar.
    expect([...lists.black].sort()).toEqual(['IR', 'KP', 'MM']);
    // Increased monitoring after October 2025: 20 jurisdictions (Burkina Faso, Mozambique, Nigeria, South Africa left).
    expect(lists.grey.size).toBe(20);
    for (const gone of ['BF', 'MZ', 'NG', 'ZA', 'HR', 'ML', 'TZ']) expect(fatfListOf(lists, gone)).toBeNull();
    for (const grey of ['BO', 'VG', 'VN', 'MC', 'KE']) expect(fatfListOf(lists, grey)).toBe('grey');
    expect(fatfListOf(lists, 'KP')).toBe('black');
    expect(fatfListOf(lists, 'US')).toBeNull();
  });

  it('refuses non-ISO codes, a missing date, and a country on both lists', () => {
    expect(() => parseFatfLists({ asOf: '2025-10-24', black: { countries: ['XX'] }, grey: { countries: [] } })).toThrow(/ISO 3166-1/);
    expect(() => parseFatfLists({ black: { countries: [] }, grey: { countries: [] } })).toThrow(/asOf/);
    expect(() => parseFatfLists({ asOf: '2025-10-24', black: { countries: ['IR'] }, grey: { countries: ['IR'] } })).toThrow(/IR on both/);
  });
});
