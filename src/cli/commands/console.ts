/** `tap-bitrix24 console`: the web console (setup wizard, sources, runs, catalog) on loopback. */
import type { Command } from '@commander-js/extra-typings';
import {
  ConsoleSetupError,
  DEFAULT_CONSOLE_PORT,
  defaultDataDir,
  startConsole,
} from '../../console/index.js';

export function registerConsole(program: Command): void {
  program
    .command('console')
    .description('The web console: add sources with a setup wizard, run them, browse their tables.')
    .option('--port <n>', 'port to listen on (0: any free port)', String(DEFAULT_CONSOLE_PORT))
    .option('--host <address>', 'address to bind; anything but loopback needs --password', '127.0.0.1')
    .option('--data <dir>', 'where sources, run history and DuckDB files live', defaultDataDir())
    .option('--password <password>', 'require this password (HTTP basic auth, any user name)')
    .action(async (opts) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        process.stderr.write(`error: --port: expected 0-65535, got ${JSON.stringify(opts.port)}\n`);
        process.exitCode = 2;
        return;
      }
      const password = opts.password ?? process.env.TAP_BITRIX24_CONSOLE_PASSWORD;
      try {
        const running = await startConsole({
          port,
          host: opts.host,
          dataDir: opts.data,
          ...(password ? { password } : {}),
        });
        process.stdout.write(`${JSON.stringify({ url: running.url, data: running.dataDir })}\n`);
        process.stderr.write(
          `tap-bitrix24 console at ${running.url} (data in ${running.dataDir}); Ctrl+C stops it\n`,
        );
        const stop = () => {
          void running.close().then(() => process.exit(0));
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      } catch (error) {
        if (error instanceof ConsoleSetupError) {
          process.stderr.write(`error: ${error.message}\n`);
          process.exitCode = 2;
          return;
        }
        throw error;
      }
    });
}
