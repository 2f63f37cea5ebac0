/**
 * The `tap-bitrix24` command line. Flag-only invocations (`--config`, `--discover`, `--about`,
 * `--catalog`, `--state`) are pure Singer mode: stdout carries Singer messages only. Every other
 * mode is a subcommand. Each command lives in its own file under `commands/`.
 */
import { Command } from '@commander-js/extra-typings';
import { registerAuth } from './commands/auth.js';
import { registerCall } from './commands/call.js';
import { registerCheck } from './commands/check.js';
import { registerConsole } from './commands/console.js';
import { registerDemo } from './commands/demo.js';
import { registerEmulator } from './commands/emulator.js';
import { registerSchedule } from './commands/schedule.js';
import { registerSync } from './commands/sync.js';
import { isSingerInvocation, runSingerMode } from './singer-mode.js';
import { VERSION } from './version.js';

export async function main(argv: string[]): Promise<void> {
  const args = argv.slice(2);
  if (isSingerInvocation(args)) {
    await runSingerMode(args);
    return;
  }
  const program = new Command()
    .name('tap-bitrix24')
    .description('Bitrix24 CRM connector: sync into DuckDB or Postgres, or speak Singer on stdout.')
    .version(VERSION)
    .showHelpAfterError();
  registerSync(program);
  registerCheck(program);
  registerSchedule(program);
  registerCall(program);
  registerAuth(program);
  registerEmulator(program);
  registerDemo(program);
  registerConsole(program);
  await program.parseAsync(argv);
}

await main(process.argv);
