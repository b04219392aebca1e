// `gatehouse migrate`.
import type { Command } from 'commander';
import { SchemaTooNewError } from '../../store/migrate.ts';
import { openAndMigrate } from '../../store/open.ts';
import { storeOpenError } from '../startup-errors.ts';
import { print } from '../output.ts';
import { config, dataDirOption, jsonOption } from '../shared.ts';

export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('apply pending database migrations')
    .addOption(dataDirOption())
    .addOption(jsonOption())
    .action(async (o) => {
      const c = config({ dataDir: o.dataDir });
      const { store, applied } = await openAndMigrate({ databaseUrl: c.databaseUrl, dataDir: c.dataDir }).catch((error: unknown) => {
        throw error instanceof SchemaTooNewError ? error : storeOpenError(error, c);
      });
      await store.close();
      print(o, { applied }, () => (applied.length ? `applied: ${applied.join(', ')}` : 'the schema is up to date'));
    });
}
