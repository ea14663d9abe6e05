/**
 * Bitcoin ingest: raw blocks, blk*.dat framed files (optionally bzip2), and Bitcoin Core getblock JSON
 * (verbosity 2 and 3) -> the model's `Block`, on chain 'btc' with native asset 'BTC', amounts in satoshi.
 */
export { readBitcoinFile, countFramedBlocks, type BitcoinFileItem, type ReadBitcoinFileOptions } from './read-bitcoin-file.js';
export { decodeRawBlock, readBlockHeader, type DecodeBlockOptions } from './decode-raw-block.js';
export { decodeGetblockJson, type DecodeGetblockOptions } from './decode-getblock-json.js';
export { loadPrevoutsCsv, PrevoutMap, type Prevout, type PrevoutLookup } from './prevouts.js';
export { btcToSatoshi } from './btc-amount.js';
export { classifyOutputScript, type OutputScriptInfo } from './output-script.js';
export { deriveInputAddress, type DerivedInputAddress } from './input-address.js';
export { bip34Height, GENESIS_HASH, type HeightOf } from './block-height.js';
