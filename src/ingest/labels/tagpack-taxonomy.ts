/**
 * GraphSense taxonomies mapped onto ours: confidence levels to 0-100, concepts (entity and abuse
 * categories) to `Category`.
 *
 * References (graphsense/graphsense-tagpack-tool):
 * - `src/tagpack/db/confidence.csv` (before 2023: `tagpack/db/confidence.csv`), columns id,label,
 *   description,level. The levels below are copied from it; they have not changed since its first version,
 *   only rows were added (heuristic, unknown in 2023-02, ledger_immanent in 2023-02,
 *   forensic_investigation later).
 * - `src/tagpack/db/concepts.yaml` (the Concepts Taxonomy, derived from the INTERPOL Darknet and
 *   Cryptocurrencies Working Group entity and abuse taxonomies, which older TagPacks use through the
 *   `category` and `abuse` fields).
 */
import type { Category } from '../../model/label.js';

/** GraphSense confidence id -> level in [0, 100] (confidence.csv). */
export const GRAPHSENSE_CONFIDENCE: Readonly<Record<string, number>> = {
  override: 100,
  ownership: 100,
  ledger_immanent: 100,
  manual_transaction: 90,
  service_api: 70,
  forensic_investigation: 70,
  authority_data: 60,
  trusted_provider: 50,
  service_data: 50,
  forensic: 50,
  untrusted_transaction: 40,
  web_crawl: 20,
  heuristic: 10,
  unknown: 5,
};

/**
 * GraphSense concept id -> our category. Concepts not listed (user, organization, shop, faucet, hosting,
 * vpn, atm, cold_wallet ...) map to 'other'; the original id is kept in the label's detail either way.
 */
const CONCEPT_CATEGORY: Readonly<Record<string, Category>> = {
  sanction: 'sanctioned',
  terrorism: 'terrorism',
  terrorism_financing: 'terrorism',
  ransomware: 'ransomware',
  market: 'darknet', // GraphSense "market": online marketplaces; in TagPacks these are darknet markets
  dark_web: 'darknet',
  drugs: 'darknet',
  weapons: 'darknet',
  hacking: 'hack',
  service_hack: 'hack',
  account_hack: 'hack',
  exploit: 'hack',
  data_breach: 'hack',
  malware: 'hack',
  perpetrator: 'hack',
  scam: 'scam',
  phishing: 'scam',
  social_engineering: 'scam',
  extortion: 'scam',
  sextortion: 'scam',
  investment_fraud: 'scam',
  ponzi_scheme: 'scam',
  pyramid_scheme: 'scam',
  financial_crime: 'fraud',
  money_laundering: 'fraud',
  payment_card_fraud: 'fraud',
  counterfeit: 'fraud',
  mixing_service: 'mixer',
  mixing: 'mixer',
  coinjoin: 'mixer',
  gambling: 'gambling',
  defi_bridge: 'bridge',
  bridge: 'bridge',
  exchange: 'exchange',
  miner: 'miner',
  mining_service: 'miner',
  wallet_service: 'wallet_service',
  payment_processor: 'payment_processor',
  donation: 'donation',
};

/**
 * When a tag names several concepts (`category`, `abuse`, `concepts`), the riskiest wins, so that a
 * hacked exchange's hacker address screens as 'hack' and not as 'exchange'. Earlier = riskier.
 */
const RISK_ORDER: readonly Category[] = [
  'sanctioned',
  'terrorism',
  'ransomware',
  'darknet',
  'hack',
  'scam',
  'fraud',
  'mixer',
  'gambling',
  'bridge',
  'defi',
  'exchange',
  'miner',
  'wallet_service',
  'payment_processor',
  'donation',
  'other',
];

/** Maps one GraphSense concept id; `defi` and every `defi_*` other than `defi_bridge` give 'defi'. */
export function categoryOfConcept(concept: string): Category {
  const id = concept.trim().toLowerCase().replace(/[\s-]+/g, '_');
  const mapped = CONCEPT_CATEGORY[id];
  if (mapped !== undefined) return mapped;
  if (id === 'defi' || id.startsWith('defi_')) return 'defi';
  return 'other';
}

/** The category of a tag from all the concepts it names (riskiest first), or 'other' when none maps. */
export function categoryOfConcepts(concepts: readonly string[]): Category {
  let best: Category = 'other';
  for (const c of concepts) {
    const cat = categoryOfConcept(c);
    if (RISK_ORDER.indexOf(cat) < RISK_ORDER.indexOf(best)) best = cat;
  }
  return best;
}
