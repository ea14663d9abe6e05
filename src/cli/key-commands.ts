/**
 * `ariadne keys`: create, list and revoke API keys. A key is printed once, at creation; the store keeps only
 * its hash.
 */
import type { Command } from 'commander';
import { createApiKey, openApiKeyStore } from '../api/auth/api-keys.js';
import { parseRole, ROLES } from '../api/auth/roles.js';
import type { Config } from '../config.js';
import { notFound } from '../errors.js';
import type { GraphStore } from '../store/graph-store.js';

export interface KeyCommandDeps {
  config: () => Config;
  withStore<T>(run: (store: GraphStore) => Promise<T>): Promise<T>;
  print(value: unknown): void;
}

export function registerKeyCommands(program: Command, deps: KeyCommandDeps): void {
  const keys = program.command('keys').description(`API keys and their roles (${ROLES.join(', ')})`);
  const storeOf = (store: GraphStore) => openApiKeyStore({ store, config: deps.config() });

  keys
    .command('create')
    .description('create a key; it is shown once')
    .requiredOption('--role <role>', ROLES.join(' | '))
    .option('--name <name>', 'who or what the key is for')
    .option('--json', 'print as JSON')
    .action(async (opts: { role: string; name?: string; json?: boolean }) => {
      const role = parseRole(opts.role);
      const { key, record } = await deps.withStore((store) => createApiKey(storeOf(store), role, opts.name === undefined ? {} : { name: opts.name }));
      if (opts.json) return deps.print({ key, id: record.id, role: record.role, name: record.name });
      process.stdout.write(`${key}\n`);
      process.stderr.write(`key ${record.id} (${record.role}, "${record.name}"): store it now, it is not shown again\n`);
    });

  keys
    .command('list')
    .description('every key: id, role, name, created, revoked (never the key itself)')
    .option('--json', 'print as JSON')
    .action(async (opts: { json?: boolean }) => {
      const list = await deps.withStore((store) => storeOf(store).list());
      const rows = list.map(({ hash: _hash, ...r }) => r);
      if (opts.json) return deps.print(rows);
      for (const r of rows) {
        process.stdout.write(`${r.id}\t${r.role}\t${new Date(r.createdAt).toISOString()}\t${r.revokedAt ? `revoked ${new Date(r.revokedAt).toISOString()}` : 'active'}\t${r.name}\n`);
      }
    });

  keys
    .command('revoke')
    .description('revoke a key by id')
    .argument('<id>', 'key id (key_...)')
    .action(async (id: string) => {
      const record = await deps.withStore((store) => storeOf(store).revoke(id, Date.now()));
      if (!record) throw notFound(`no API key with id ${JSON.stringify(id)}: see \`ariadne keys list\``);
      process.stdout.write(`revoked ${record.id}\n`);
    });
}
