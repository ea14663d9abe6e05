/**
 * Labels (tags) on addresses. An address can carry many labels from many sources; each has a category
 * from the list below, a free label text, a source, a confidence in [0, 100] and an optional actor.
 */
import { invalidInput } from '../errors.js';
import type { AddressId } from './address.js';

export const CATEGORIES = [
  'sanctioned',
  'exchange',
  'mixer',
  'darknet',
  'ransomware',
  'scam',
  'hack',
  'gambling',
  'bridge',
  'defi',
  'miner',
  'terrorism',
  'fraud',
  'wallet_service',
  'payment_processor',
  'donation',
  'other',
] as const;
export type Category = (typeof CATEGORIES)[number];

export function parseCategory(text: string): Category {
  const normalized = text.trim().toLowerCase().replace(/[\s-]+/g, '_');
  if ((CATEGORIES as readonly string[]).includes(normalized)) return normalized as Category;
  throw invalidInput(`unknown category ${JSON.stringify(text)}: expected one of ${CATEGORIES.join(', ')}`);
}

export interface Label {
  address: AddressId;
  category: Category;
  label: string;
  /** Where the label came from: `ofac-sdn`, `tagpack:<file>`, `manual:<key id>` ... */
  source: string;
  /** 0-100. OFAC lists are 100; TagPack confidence levels map through their documented table. */
  confidence: number;
  /** The entity behind the address, when known (e.g. "Lazarus Group", "binance"). */
  actor: string | null;
  /** Free-form extra facts (OFAC program, SDN profile id, TagPack context). */
  detail?: Record<string, unknown>;
}

/** A label as stored, with its history fields. */
export interface StoredLabel extends Label {
  id: number;
  /** Unix ms when the label was first recorded. */
  addedAt: number;
  /** Unix ms when a newer import of the same source dropped it (or it was removed); null while active. */
  removedAt: number | null;
}
