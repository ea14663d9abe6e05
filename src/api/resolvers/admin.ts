/**
 * Admin operations: labels, sanctions lists, block ingest and API keys; and `me`. Writes go through the
 * store's write port; the cluster and screening indexes follow the store's change events.
 */
import { decodeGetblockJson, decodeRawBlock, readBlockHeader } from '../../ingest/bitcoin/index.js';
import { decodeEvmBlock } from '../../ingest/ethereum/index.js';
import { parseOfacAddressList, parseOfacCsv } from '../../ingest/labels/index.js';
import { AriadneError, invalidInput, limitExceeded, notFound } from '../../errors.js';
import { parseAddressId } from '../../model/address.js';
import type { Category } from '../../model/label.js';
import type { Block } from '../../model/transaction.js';
import type { ApiKeyRecord } from '../auth/api-key-store.js';
import { createApiKey } from '../auth/api-keys.js';
import type { Role } from '../auth/roles.js';
import type { ApiContext } from '../context.js';
import { API_LIMITS } from '../limits.js';
import { connectionByKey, type PageArgs } from '../paging.js';

type BlockFormat = 'BITCOIN_RAW_HEX' | 'BITCOIN_GETBLOCK_JSON' | 'EVM_BLOCK_JSON';

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw invalidInput(`${what} is not valid JSON: ${(err as Error).message}`);
  }
}

function text(name: string, value: string | null | undefined, max: number, required: boolean): string | null {
  if (value === null || value === undefined) {
    if (required) throw invalidInput(`${name} is required`);
    return null;
  }
  const t = value.trim();
  if ((required && t.length === 0) || t.length > max) throw invalidInput(`${name} must be ${required ? '1' : '0'}-${max} characters, got ${t.length}`);
  return t.length === 0 ? null : t;
}

async function ingestBlocks(ctx: ApiContext, input: { format: BlockFormat; blocks: string[]; chainId?: number | null }) {
  if (input.blocks.length === 0) throw invalidInput('ingestBlocks: expected at least one block');
  if (input.blocks.length > API_LIMITS.maxIngestBlocks) throw limitExceeded(`ingestBlocks takes at most ${API_LIMITS.maxIngestBlocks} blocks per call, got ${input.blocks.length}`);
  const result = { written: 0, skipped: 0, transactions: 0, failures: [] as { index: number; code: string; message: string }[] };
  const heights = new Map<string, number>();
  for (const [index, raw] of input.blocks.entries()) {
    try {
      let block: Block;
      if (input.format === 'BITCOIN_RAW_HEX') {
        const hex = raw.replace(/\s+/g, '');
        const header = readBlockHeader(Buffer.from(/^[0-9a-fA-F]*$/.test(hex) && hex.length % 2 === 0 ? hex : '', 'hex'));
        const parent = heights.get(header.prevHash) ?? (await ctx.store.blockHeight('btc', header.prevHash));
        block = decodeRawBlock(hex, { heightOf: (hash) => (hash === header.prevHash ? parent : heights.get(hash)) });
      } else if (input.format === 'BITCOIN_GETBLOCK_JSON') {
        block = decodeGetblockJson(parseJson(raw, `block #${index}`));
      } else {
        block = decodeEvmBlock(parseJson(raw, `block #${index}`), input.chainId ? { chainId: input.chainId } : {});
      }
      const written = await ctx.store.writeBlock(block);
      heights.set(block.hash, block.height);
      if (written.written) {
        result.written++;
        result.transactions += written.transactions;
      } else result.skipped++;
    } catch (err) {
      if (!(err instanceof AriadneError) || err.code === 'STORE_UNAVAILABLE') throw err;
      result.failures.push({ index, code: err.code === 'INVALID_INPUT' ? 'BAD_USER_INPUT' : err.code, message: err.describe() });
    }
  }
  return result;
}

async function importSanctionsList(ctx: ApiContext, input: { format: 'ADDRESS_LIST' | 'SDN_CSV'; currency?: string | null; content: string; fileName?: string | null }) {
  const currency = text('currency', input.currency, 16, false);
  const fileName = text('fileName', input.fileName, 200, false);
  let parsed;
  if (input.format === 'ADDRESS_LIST') {
    if (!currency && !fileName) throw invalidInput('ADDRESS_LIST: expected "currency" (XBT, ETH, ...) or a fileName like sanctioned_addresses_XBT.txt');
    parsed = parseOfacAddressList(input.content, fileName ?? `sanctioned_addresses_${currency}.txt`, currency ? { currency } : {});
  } else {
    parsed = parseOfacCsv(input.content, fileName ?? 'sdn-digital-currency-addresses.csv');
  }
  if (parsed.labels.length === 0) {
    throw invalidInput(`the list holds no address that can be labelled: refusing to import it, which would delist every address of source ${parsed.source}`, { source: parsed.source });
  }
  const r = await ctx.store.importLabels(parsed.source, parsed.labels);
  return { ...r, skipped: parsed.skipped, errors: parsed.errors.map((e) => e.describe()) };
}

export const adminResolvers = {
  Query: {
    me: (_: unknown, __: unknown, ctx: ApiContext) => ctx.principal,
    apiKeys: async (_: unknown, args: PageArgs, ctx: ApiContext) => connectionByKey('api-keys', await ctx.keys.list(), args, (k) => k.id),
  },
  Mutation: {
    addLabel: async (_: unknown, args: { input: { address: string; category: Category; label: string; confidence?: number | null; actor?: string | null } }, ctx: ApiContext) => {
      const { input } = args;
      const confidence = input.confidence ?? 100;
      if (!Number.isInteger(confidence) || confidence < 0 || confidence > 100) throw invalidInput(`confidence must be an integer between 0 and 100, got ${String(confidence)}`);
      return ctx.store.addLabel({
        address: parseAddressId(input.address),
        category: input.category,
        label: text('label', input.label, 200, true)!,
        source: `manual:${ctx.principal!.keyId}`,
        confidence,
        actor: text('actor', input.actor, 200, false),
      });
    },
    removeLabel: (_: unknown, args: { id: string }, ctx: ApiContext) => {
      if (!/^[1-9][0-9]{0,15}$/.test(args.id)) throw invalidInput(`invalid label id ${JSON.stringify(args.id)}: expected a positive integer`);
      return ctx.store.removeLabel(Number(args.id));
    },
    importSanctionsList: (_: unknown, args: { input: Parameters<typeof importSanctionsList>[1] }, ctx: ApiContext) => importSanctionsList(ctx, args.input),
    ingestBlocks: (_: unknown, args: { input: Parameters<typeof ingestBlocks>[1] }, ctx: ApiContext) => ingestBlocks(ctx, args.input),
    createApiKey: async (_: unknown, args: { role: Role; name?: string | null }, ctx: ApiContext) => {
      const { key, record } = await createApiKey(ctx.keys, args.role, args.name ? { name: args.name } : {});
      return { key, apiKey: record };
    },
    revokeApiKey: async (_: unknown, args: { id: string }, ctx: ApiContext) => {
      const r = await ctx.keys.revoke(args.id, Date.now());
      if (!r) throw notFound(`no API key with id ${JSON.stringify(args.id)}`);
      return r;
    },
  },
  ApiKey: {
    createdAt: (k: ApiKeyRecord) => k.createdAt,
    revokedAt: (k: ApiKeyRecord) => k.revokedAt,
  },
};
