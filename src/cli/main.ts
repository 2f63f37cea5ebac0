/**
 * The `tap-bitrix24` command line. Flag-only invocations (`--config`, `--discover`, `--about`,
 * `--catalog`, `--state`) are pure Singer mode: stdout carries Singer messages only. Every other
 * mode is a subcommand, each in its own file under `commands/`. Modules load lazily so that a
 * Singer run (what Meltano starts many times) does not pay for DuckDB, pg or the emulator.
 */
import { Command } from '@commander-js/extra-typings';
import { VERSION } from './version.js';

export async function main(argv: string[]): Promise<void> {
  const args = argv.slice(2);
  const singer = await import('./singer-mode.js');
  if (singer.isSingerInvocation(args)) {
    await singer.runSingerMode(args);
    return;
  }
  const program = new Command()
    .name('tap-bitrix24')
    .description('Bitrix24 CRM connector: sync into DuckDB or Postgres, or speak Singer on stdout.')
    .version(VERSION)
    .showHelpAfterError();
  const [sync, models, check, verify, query, schedule, call, auth, emulator, demo, console] =
    await Promise.all([
      import('./commands/sync.js'),
      import('./commands/models.js'),
      import('./commands/check.js'),
      import('./commands/verify.js'),
      import('./commands/query.js'),
      import('./commands/schedule.js'),
      import('./commands/call.js'),
      import('./commands/auth.js'),
      import('./commands/emulator.js'),
      import('./commands/demo.js'),
      import('./commands/console.js'),
    ]);
  sync.registerSync(program);
  models.registerModels(program);
  check.registerCheck(program);
  verify.registerVerify(program);
  query.registerQuery(program);
  schedule.registerSchedule(program);
  call.registerCall(program);
  auth.registerAuth(program);
  emulator.registerEmulator(program);
  demo.registerDemo(program);
  console.registerConsole(program);
  await program.parseAsync(argv);
}

await main(process.argv);
