/**
 * Checks a block's invariants before any store writes it, so that both engines refuse the same bad input
 * with the same message, and nothing of a bad block is written. Cheap: one pass, no I/O.
 */
import { AriadneError, invalidInput } from '../errors.js';
import { chainInfo, isChainKey } from '../model/chain.js';
import type { Block } from '../model/transaction.js';

export function validateBlock(block: Block): void {
  const where = { block: `${String(block?.chain)}:${String(block?.height)}:${String(block?.hash)}` };
  if (!block || typeof block !== 'object') throw invalidInput(`expected a block object, got ${typeof block}`);
  if (!isChainKey(block.chain)) throw invalidInput(`unknown chain ${JSON.stringify(block.chain)}: expected btc, eth or evm-<chainId>`, where);
  if (!Number.isSafeInteger(block.height) || block.height < 0) throw invalidInput(`block height must be a non-negative integer, got ${String(block.height)}`, where);
  if (typeof block.hash !== 'string' || block.hash.length === 0) throw invalidInput('block hash must be a non-empty string', where);
  if (!Number.isSafeInteger(block.time) || block.time < 0) throw invalidInput(`block time must be unix seconds, got ${String(block.time)}`, where);
  if (!Array.isArray(block.transactions)) throw invalidInput('block transactions must be an array', where);
  const prefix = `${block.chain}:`;
  const utxo = chainInfo(block.chain).kind === 'utxo';
  const ids = new Set<string>();
  for (const tx of block.transactions) {
    try {
      if (typeof tx.id !== 'string' || !tx.id.startsWith(prefix)) throw invalidInput(`transaction id must start with "${prefix}", got ${JSON.stringify(tx.id)}`);
      if (ids.has(tx.id)) throw invalidInput('transaction appears twice in the block');
      ids.add(tx.id);
      if (tx.chain !== block.chain || tx.height !== block.height || tx.blockHash !== block.hash) {
        throw invalidInput(`transaction says chain ${tx.chain}, height ${tx.height}, block ${tx.blockHash}; its block is ${block.chain}, ${block.height}, ${block.hash}`);
      }
      checkIndexes(tx.inputs, 'input');
      checkIndexes(tx.outputs, 'output');
      for (const i of tx.inputs) {
        if (i.value !== null && (typeof i.value !== 'bigint' || i.value < 0n)) throw invalidInput(`input ${i.index} value must be a non-negative bigint or null, got ${String(i.value)}`);
        if (i.address !== null && !i.address.startsWith(prefix)) throw invalidInput(`input ${i.index} address ${i.address} is not on chain ${block.chain}`);
      }
      for (const o of tx.outputs) {
        if (typeof o.value !== 'bigint' || o.value < 0n) throw invalidInput(`output ${o.index} value must be a non-negative bigint, got ${String(o.value)}`);
        if (o.address !== null && !o.address.startsWith(prefix)) throw invalidInput(`output ${o.index} address ${o.address} is not on chain ${block.chain}`);
      }
      if (tx.fee !== null && (typeof tx.fee !== 'bigint' || tx.fee < 0n)) throw invalidInput(`fee must be a non-negative bigint or null, got ${String(tx.fee)}`);
      // A UTXO fee is inputs minus outputs: it cannot be known while an input value is not.
      if (tx.fee !== null && utxo && tx.inputs.some((i) => i.value === null)) throw invalidInput(`fee ${tx.fee} given while some input values are unknown`);
    } catch (err) {
      throw err instanceof AriadneError ? err.withContext({ ...where, tx: String(tx?.id) }) : err;
    }
  }
}

function checkIndexes(list: readonly { index: number }[], what: string): void {
  if (!Array.isArray(list)) throw invalidInput(`${what}s must be an array`);
  // The usual case, indexes 0..n-1 in order, needs no set (this runs for every input and output ingested).
  let inOrder = true;
  for (let k = 0; k < list.length && inOrder; k++) inOrder = list[k]!.index === k;
  if (inOrder) return;
  const seen = new Set<number>();
  for (const item of list) {
    if (!Number.isSafeInteger(item.index) || item.index < 0) throw invalidInput(`${what} index must be a non-negative integer, got ${String(item.index)}`);
    if (seen.has(item.index)) throw invalidInput(`${what} index ${item.index} appears twice`);
    seen.add(item.index);
  }
}
