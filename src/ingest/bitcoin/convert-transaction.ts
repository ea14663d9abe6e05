/**
 * Turns one decoded Bitcoin transaction (a bitcoinjs `Transaction`) into the model's `Transaction`:
 * one output per vout (address from `classifyOutputScript`), one input per spent outpoint.
 *
 * Input addresses and values:
 * - when the spent output is known (a prevouts lookup or verbosity-3 JSON), value and address come from it,
 *   `addressSource` 'prevouts-file' (address null when the spent script has none, e.g. bare multisig);
 * - otherwise the value is null and the address is derived from the spending data where that is sound
 *   (`deriveInputAddress`), else null.
 *
 * Coinbase transactions get NO inputs: the coinbase "input" spends no output and carries no address or
 * value, and an input with a null value would count as unresolved forever. Their `fee` is null: the fee
 * concept does not apply (the block's fees are what the coinbase claims above the subsidy).
 * Fee of any other transaction = sum(input values) - sum(output values) when every input value is known,
 * else null; a negative result means the prevout data is wrong and is refused.
 */
import type { Transaction as BtcTransaction } from 'bitcoinjs-lib';
import { invalidInput, type ErrorContext } from '../../errors.js';
import { txId } from '../../model/address.js';
import type { Transaction, TxInput, TxOutput } from '../../model/transaction.js';
import { MAX_MONEY_SATS } from './btc-amount.js';
import { deriveInputAddress } from './input-address.js';
import { btcAddressId, classifyOutputScript } from './output-script.js';
import type { Prevout, PrevoutLookup } from './prevouts.js';
import { toReversedHex } from './script-patterns.js';

export const BTC_ASSET = 'BTC';

export interface ConvertContext {
  blockHash: string;
  height: number;
  /** Block time, unix seconds. */
  time: number;
  /** Position of the transaction in its block. */
  position: number;
  prevouts?: PrevoutLookup;
  /** Prevouts carried with the transaction itself (getblock verbosity 3), by input index; tried first. */
  ownPrevouts?: ReadonlyMap<number, Prevout>;
  /** For error messages. */
  where: ErrorContext;
}

/** Converts one transaction; `txid` is its display hex. Throws INVALID_INPUT for out-of-range values. */
export function convertTransaction(tx: BtcTransaction, txid: string, ctx: ConvertContext): Transaction {
  const where = { ...ctx.where, tx: txid };
  const coinbase = tx.isCoinbase();
  if (ctx.position === 0 && !coinbase) throw invalidInput('the first transaction of a block must be a coinbase', where);
  if (ctx.position > 0 && coinbase) throw invalidInput(`transaction ${ctx.position} is a second coinbase`, where);

  const outputs: TxOutput[] = [];
  let outTotal = 0n;
  for (const [index, out] of tx.outs.entries()) {
    if (out.value < 0n || out.value > MAX_MONEY_SATS) throw invalidInput(`output ${index} value ${out.value} sat is outside [0, 21e6 BTC]`, where);
    outTotal += out.value;
    const info = classifyOutputScript(out.script);
    const output: TxOutput = {
      index,
      address: info.address === null ? null : btcAddressId(info.address),
      value: out.value,
      asset: BTC_ASSET,
      scriptType: info.scriptType,
    };
    if (info.detail) output.detail = info.detail;
    outputs.push(output);
  }
  if (outTotal > MAX_MONEY_SATS) throw invalidInput(`outputs total ${outTotal} sat, more than the 21,000,000 BTC supply`, where);

  const inputs: TxInput[] = [];
  let inTotal: bigint | null = coinbase ? null : 0n;
  if (!coinbase) {
    for (const [index, input] of tx.ins.entries()) {
      const prevTxid = toReversedHex(input.hash);
      const prevout = ctx.ownPrevouts?.get(index) ?? ctx.prevouts?.get(prevTxid, input.index);
      const base = { index, asset: BTC_ASSET, spends: { txId: txId('btc', prevTxid), vout: input.index } };
      if (prevout) {
        const info = classifyOutputScript(prevout.scriptPubKey);
        const entry: TxInput = { ...base, address: info.address === null ? null : btcAddressId(info.address), value: prevout.value };
        entry.addressSource = 'prevouts-file';
        inputs.push(entry);
        if (inTotal !== null) inTotal += prevout.value;
      } else {
        const derived = deriveInputAddress(input.script, input.witness);
        const entry: TxInput = { ...base, address: derived ? btcAddressId(derived.address) : null, value: null };
        if (derived) entry.addressSource = derived.source;
        inputs.push(entry);
        inTotal = null;
      }
    }
  }

  let fee: bigint | null = null;
  if (inTotal !== null) {
    fee = inTotal - outTotal;
    if (fee < 0n) throw invalidInput(`inputs total ${inTotal} sat is less than outputs total ${outTotal} sat: the prevout values do not belong to this transaction`, where);
  }

  return {
    id: txId('btc', txid),
    chain: 'btc',
    hash: txid,
    blockHash: ctx.blockHash,
    height: ctx.height,
    time: ctx.time,
    position: ctx.position,
    coinbase,
    status: 'ok',
    fee,
    inputs,
    outputs,
  };
}
