/**
 * `tap-bitrix24 auth --client-id … --client-secret … --portal … [--token-file …] [--port …]`:
 * prints the portal's authorize URL, catches the redirect on a loopback port, exchanges the
 * 30-second code at once and saves the tokens (0600) for sync.
 */
import type { Command } from '@commander-js/extra-typings';
import { authorizeApp, ConfigError, redact } from '../../client/index.js';

export function registerAuth(program: Command): void {
  program
    .command('auth')
    .description('OAuth setup: open the printed URL, approve, and the tokens are saved for sync')
    .requiredOption('--client-id <id>', 'application client_id')
    .requiredOption('--client-secret <secret>', 'application client_secret')
    .requiredOption('--portal <url>', 'portal address, e.g. https://example.bitrix24.com')
    .option('--token-file <path>', 'where to save the tokens', 'bitrix24-token.json')
    .option(
      '--port <port>',
      'loopback port of the redirect URI registered for the app (0: any free port)',
      '0',
    )
    .option('--authorize-url <url>', 'authorize endpoint (default PORTAL/oauth/authorize/)')
    .option('--token-url <url>', 'token endpoint (default https://oauth.bitrix.info/oauth/token/)')
    .option('--timeout <seconds>', 'how long to wait for the approval', '300')
    .action(async (opts) => {
      try {
        const port = Number(opts.port);
        if (!Number.isInteger(port) || port < 0 || port > 65535)
          throw new ConfigError('--port', '--port must be 0..65535');
        const result = await authorizeApp({
          clientId: opts.clientId,
          clientSecret: opts.clientSecret,
          portalUrl: opts.portal,
          tokenFile: opts.tokenFile,
          port,
          authorizeUrl: opts.authorizeUrl,
          tokenUrl: opts.tokenUrl,
          timeoutMs: Number(opts.timeout) * 1000,
          onAuthorizeUrl: (url, redirectUri) => {
            process.stderr.write(
              `Waiting for the redirect on ${redirectUri} (the app's redirect URI must point here).\n`,
            );
            process.stdout.write(`Open this URL in a browser and approve the app:\n${url}\n`);
          },
        });
        process.stdout.write(
          `Saved tokens to ${result.tokenFile} (scopes: ${result.scope.join(', ') || 'none'}).\n`,
        );
      } catch (error) {
        process.stderr.write(`error: ${redact(error instanceof Error ? error.message : String(error))}\n`);
        process.exitCode = error instanceof ConfigError ? 2 : 1;
      }
    });
}
