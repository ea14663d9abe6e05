/**
 * Decodes an EVM block in the `eth_getBlockByNumber(n, true)` JSON shape (with optional receipts) into
 * the normalized graph model (src/model/transaction.ts, docs/data-model.md):
 *
 *   native value   INPUT 0 from `from`, OUTPUT 0 to `to` (or, for a contract creation, to the created
 *                  address: the receipt's `contractAddress`, else keccak256(rlp([sender, nonce]))[12:],
 *                  the CREATE rule of the Yellow Paper, section 7, via ethers `getCreateAddress`).
 *   ERC-20         each `Transfer(address indexed from, address indexed to, uint256 value)` log (EIP-20)
 *                  with block log index k is INPUT k + 1 and OUTPUT k + 1, asset `<chain>:<token>`.
 *   status         receipt status 0x1 'ok', 0x0 'failed' (EIP-658); no receipt 'unknown'. A failed
 *                  transaction moved no value: its edges are kept with value 0 so the interaction is on
 *                  record, and its logs (a reverted call emits none) are ignored.
 *   fee            gasUsed * effectiveGasPrice (EIP-1559), or gasPrice for pre-London receipts; null
 *                  without a receipt. L2 data fees (e.g. OP-stack `l1Fee`) are not included.
 *
 * Not modelled here: internal value transfers made by contract code (they need traces), validator
 * withdrawals (EIP-4895) and block rewards / priority fees paid to the fee recipient, which are not
 * transactions. Addresses are EIP-55 checksummed; a mixed-case address with a wrong checksum is refused.
 */
import { getCreateAddress } from 'ethers';
import { AriadneError, type ErrorContext, invalidInput, preview } from '../../errors.js';
import { type AddressId, addressId, txId } from '../../model/address.js';
import { type ChainKey, chainInfo, evmChainKey } from '../../model/chain.js';
import type { Block, Transaction, TxInput, TxOutput } from '../../model/transaction.js';
import {
  type FieldSite,
  fieldError,
  isRecord,
  readAddressText,
  readArray,
  readHash,
  readOptionalQuantity,
  readQuantity,
  readSmallQuantity,
} from './evm-fields.js';
import { type EvmReceipt, type EvmReceiptsInput, indexEvmReceipts, parseEvmReceipt, unwrapJsonRpc } from './evm-receipts.js';

/** keccak256("Transfer(address,address,uint256)"), topic0 of ERC-20 and ERC-721 transfers. */
export const ERC20_TRANSFER_TOPIC = '0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef';

export interface EvmDecodeOptions {
  /**
   * EIP-155 chain id to use when no transaction states one (default 1, Ethereum mainnet). When the
   * transactions state a chain id, this option must agree with it.
   */
  chainId?: number;
  /** Receipts by transaction hash, or a list of receipts; transactions without one get status 'unknown'. */
  receipts?: EvmReceiptsInput;
  /** File name, for error context only. */
  file?: string;
}

/**
 * Decodes one block. Accepts the bare block, a JSON-RPC envelope `{result: block}`, and a `receipts`
 * array beside the block (`{result|block: {...}, receipts: [...]}` or inside the block object); such
 * receipts take precedence over `opts.receipts` for the same transaction.
 *
 * All or nothing: the whole block is validated and decoded before it is returned, and the first problem
 * throws an INVALID_INPUT AriadneError with `context` {file, block, tx}. Deterministic: transactions are
 * returned in `transactionIndex` order, each with its native edges at index 0 and token edges after.
 * Amounts are bigint base units (wei, token units), exact at any size.
 */
export function decodeEvmBlock(json: unknown, opts: EvmDecodeOptions = {}): Block {
  const baseContext: ErrorContext = opts.file === undefined ? {} : { file: opts.file };
  const { block: raw, receipts: embedded } = splitBlockAndReceipts(json, baseContext);

  const headerSite: FieldSite = { what: 'block', context: baseContext };
  const height = readSmallQuantity(raw, 'number', headerSite);
  const context: ErrorContext = { ...baseContext, block: String(height) };
  const site: FieldSite = { what: `block ${height}`, context };
  const hash = readHash(raw, 'hash', site);
  const time = readSmallQuantity(raw, 'timestamp', site);
  const rawTxs = readArray(raw, 'transactions', site);

  const receipts = new Map<string, unknown>();
  try {
    if (opts.receipts !== undefined) for (const [k, v] of indexEvmReceipts(opts.receipts, context)) receipts.set(k, v);
    if (embedded !== undefined) for (const [k, v] of indexEvmReceipts(embedded, context)) receipts.set(k, v);
  } catch (err) {
    throw err instanceof AriadneError ? err.withContext(context) : err;
  }

  // First pass: shape of each transaction object and the chain id(s) it states.
  const txs: { obj: Record<string, unknown>; hash: string; site: FieldSite }[] = [];
  const stated = new Map<number, string>();
  rawTxs.forEach((t, i) => {
    if (typeof t === 'string') {
      throw invalidInput(
        `block ${height} transactions[${i}]: expected a full transaction object (eth_getBlockByNumber(n, true)), got the hash ${preview(t)}`,
        context,
      );
    }
    if (!isRecord(t)) throw invalidInput(`block ${height} transactions[${i}]: expected a transaction object, got ${preview(t)}`, context);
    const txHash = readHash(t, 'hash', { what: `block ${height} transactions[${i}]`, context });
    const txSite: FieldSite = { what: `tx ${txHash}`, context: { ...context, tx: txHash } };
    txs.push({ obj: t, hash: txHash, site: txSite });
    const id = statedChainId(t, txSite);
    if (id !== null && !stated.has(id)) stated.set(id, txHash);
  });
  const chain = resolveChain(stated, opts.chainId, site);
  const native = chainInfo(chain).nativeAsset;

  const seenHashes = new Set<string>();
  const seenPositions = new Set<number>();
  const transactions: Transaction[] = [];
  for (const { obj, hash: txHash, site: txSite } of txs) {
    if (seenHashes.has(txHash)) throw invalidInput(`tx ${txHash} appears twice in block ${height}`, txSite.context);
    seenHashes.add(txHash);
    const rawReceipt = receipts.get(txHash);
    const receipt = rawReceipt === undefined ? null : parseEvmReceipt(rawReceipt, txHash, context);
    if (receipt?.blockHash != null && receipt.blockHash !== hash) {
      throw fieldError({ what: `receipt of tx ${txHash}`, context: txSite.context }, 'blockHash', `${hash} (the block being decoded)`, receipt.blockHash);
    }
    const tx = decodeTransaction(obj, txHash, txSite, { chain, native, height, hash, time }, receipt);
    if (seenPositions.has(tx.position)) throw fieldError(txSite, 'transactionIndex', 'a position not used by another transaction of the block', obj.transactionIndex);
    seenPositions.add(tx.position);
    transactions.push(tx);
  }
  transactions.sort((a, b) => a.position - b.position);
  return { chain, height, hash, time, transactions };
}

interface BlockFacts {
  chain: ChainKey;
  native: string;
  height: number;
  hash: string;
  time: number;
}

function decodeTransaction(obj: Record<string, unknown>, hash: string, site: FieldSite, block: BlockFacts, receipt: EvmReceipt | null): Transaction {
  const { chain } = block;
  if (obj.blockHash !== undefined && obj.blockHash !== null && readHash(obj, 'blockHash', site) !== block.hash) {
    throw fieldError(site, 'blockHash', `${block.hash} (the block holding it)`, obj.blockHash);
  }
  if (obj.blockNumber !== undefined && obj.blockNumber !== null && readSmallQuantity(obj, 'blockNumber', site) !== block.height) {
    throw fieldError(site, 'blockNumber', `the height of the block holding it (${block.height})`, obj.blockNumber);
  }
  const position = readSmallQuantity(obj, 'transactionIndex', site);
  const from = account(chain, readAddressText(obj, 'from', site), site, 'from');
  const value = readQuantity(obj, 'value', site);
  const nonce = readQuantity(obj, 'nonce', site);
  const gasPrice = readOptionalQuantity(obj, 'gasPrice', site);

  let to: AddressId;
  let creation: Record<string, unknown> | undefined;
  if (obj.to === null || obj.to === undefined) {
    if (receipt?.contractAddress != null) {
      to = account(chain, receipt.contractAddress, { what: `receipt of tx ${hash}`, context: site.context }, 'contractAddress');
      creation = { contractCreation: true, createdAddressFrom: 'receipt' };
    } else {
      to = account(chain, getCreateAddress({ from: from.slice(from.indexOf(':') + 1), nonce }), site, 'nonce');
      creation = { contractCreation: true, createdAddressFrom: 'sender-and-nonce' };
    }
  } else {
    to = account(chain, readAddressText(obj, 'to', site), site, 'to');
  }

  const status = receipt?.status ?? 'unknown';
  const moved = status === 'failed' ? 0n : value;
  const inputs: TxInput[] = [{ index: 0, address: from, value: moved, asset: block.native, addressSource: 'account' }];
  const nativeOut: TxOutput = { index: 0, address: to, value: moved, asset: block.native, scriptType: 'account' };
  if (creation !== undefined) nativeOut.detail = creation;
  const outputs: TxOutput[] = [nativeOut];

  if (receipt !== null && status !== 'failed') {
    const logIndexes = new Set<number>();
    for (const log of receipt.logs) {
      const transfer = decodeErc20Transfer(log.topics, log.data);
      if (log.removed || transfer === null) continue;
      const logSite: FieldSite = { what: `log ${log.logIndex} of tx ${hash}`, context: site.context };
      const index = log.logIndex + 1;
      if (logIndexes.has(index)) throw invalidInput(`tx ${hash}: logIndex ${log.logIndex} appears twice in its receipt`, site.context);
      logIndexes.add(index);
      // Any contract can emit this event; the asset id names the emitting contract, so a look-alike
      // token never merges with the real one.
      const asset = account(chain, log.address, logSite, 'address');
      inputs.push({ index, address: account(chain, transfer.from, logSite, 'topics[1]'), value: transfer.value, asset, addressSource: 'account' });
      outputs.push({ index, address: account(chain, transfer.to, logSite, 'topics[2]'), value: transfer.value, asset, scriptType: 'account' });
    }
  }

  let fee: bigint | null = null;
  if (receipt !== null) {
    const price = receipt.effectiveGasPrice ?? gasPrice;
    fee = price === null ? null : receipt.gasUsed * price;
  }

  return {
    id: txId(chain, hash),
    chain,
    hash,
    blockHash: block.hash,
    height: block.height,
    time: block.time,
    position,
    coinbase: false,
    status,
    fee,
    inputs,
    outputs,
  };
}

/**
 * Reads an ERC-20 Transfer from a log's topics and data, or null when the log is something else.
 * ERC-20 indexes `from` and `to` only (3 topics) and puts the amount in 32 bytes of data. ERC-721 uses
 * the same signature with the token id indexed as a 4th topic and no data: it moves a token, not an
 * amount, so it is skipped here, as is any log whose address topics are not 20-byte left-padded words.
 */
export function decodeErc20Transfer(topics: readonly string[], data: string): { from: string; to: string; value: bigint } | null {
  if (topics.length !== 3 || topics[0]?.toLowerCase() !== ERC20_TRANSFER_TOPIC) return null;
  if (!/^0x[0-9a-fA-F]{64}$/.test(data)) return null;
  const fromTopic = topics[1] ?? '';
  const toTopic = topics[2] ?? '';
  const padded = /^0x0{24}[0-9a-fA-F]{40}$/;
  if (!padded.test(fromTopic) || !padded.test(toTopic)) return null;
  return { from: `0x${fromTopic.slice(26)}`, to: `0x${toTopic.slice(26)}`, value: BigInt(data) };
}

/** The chain id a transaction states: its `chainId` field, else EIP-155's `v = 2 * chainId + 35|36`. */
function statedChainId(tx: Record<string, unknown>, site: FieldSite): number | null {
  if (tx.chainId !== undefined && tx.chainId !== null) {
    const id = readSmallQuantity(tx, 'chainId', site);
    if (id <= 0) throw fieldError(site, 'chainId', 'a positive chain id', tx.chainId);
    return id;
  }
  if (tx.v !== undefined && tx.v !== null) {
    const v = readQuantity(tx, 'v', site);
    // v = 27/28: pre-EIP-155 signature, valid on every chain, says nothing about the chain.
    if (v >= 35n && (v - 35n) / 2n <= BigInt(Number.MAX_SAFE_INTEGER)) return Number((v - 35n) / 2n);
  }
  return null;
}

function resolveChain(stated: Map<number, string>, option: number | undefined, site: FieldSite): ChainKey {
  const entries = [...stated.entries()];
  if (entries.length > 1) {
    const list = entries.map(([id, h]) => `tx ${h} says ${id}`).join(', ');
    throw invalidInput(`${site.what}: transactions disagree on the chain id (${list})`, site.context);
  }
  const first = entries[0];
  if (first !== undefined) {
    if (option !== undefined && option !== first[0]) {
      throw invalidInput(`${site.what}: option chainId ${option} disagrees with tx ${first[1]}, which states chain id ${first[0]}`, site.context);
    }
    return evmChainKey(first[0]);
  }
  try {
    return evmChainKey(option ?? 1);
  } catch (err) {
    throw err instanceof AriadneError ? err.withContext(site.context) : err;
  }
}

/** `addressId` with the error reworded to name the field it came from. */
function account(chain: ChainKey, text: string, site: FieldSite, field: string): AddressId {
  try {
    return addressId(chain, text);
  } catch {
    throw fieldError(site, field, 'an address with a valid EIP-55 checksum (or in a single letter case)', text);
  }
}

function splitBlockAndReceipts(json: unknown, context: ErrorContext): { block: Record<string, unknown>; receipts: unknown[] | undefined } {
  let receipts: unknown[] | undefined;
  const takeReceipts = (v: unknown): void => {
    if (receipts === undefined && isRecord(v) && Array.isArray(v.receipts)) receipts = v.receipts.map((r) => unwrapJsonRpc(r, context));
  };
  takeReceipts(json);
  let value = unwrapJsonRpc(json, context);
  if (isRecord(value) && value.transactions === undefined && isRecord(value.block)) value = unwrapJsonRpc(value.block, context);
  takeReceipts(value);
  if (!isRecord(value)) {
    throw invalidInput(`expected an eth_getBlockByNumber block object (bare or as a JSON-RPC {"result": ...}), got ${preview(value)}`, context);
  }
  return { block: value, receipts };
}
