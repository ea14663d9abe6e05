/** EVM ingest: `eth_getBlockByNumber(n, true)` blocks and receipts -> normalized blocks. */
export { decodeEvmBlock, decodeErc20Transfer, ERC20_TRANSFER_TOPIC, type EvmDecodeOptions } from './decode-evm-block.js';
export { readEvmFile, type EvmReadOptions, type EvmReadResult } from './read-evm-file.js';
export {
  indexEvmReceipts,
  parseEvmReceipt,
  readEvmReceiptsFile,
  type EvmLog,
  type EvmReceipt,
  type EvmReceiptsInput,
} from './evm-receipts.js';
