/**
 * `tap-bitrix24 emulator`: serve an emulated Bitrix24 portal until killed. Prints one JSON line
 * with the webhook URL, OAuth app credentials and port once it listens; logs go to stderr.
 */
import { type Command, InvalidArgumentError, Option, type OptionValues } from '@commander-js/extra-typings';
import { FaultSpecError, parseFaultSpec } from '../../emulator/faults.js';
import {
  type BatchBilling,
  type EmulatorOptions,
  type JsonEscaping,
  type Plan,
  type RunningEmulator,
  startEmulator,
  VariantSpecError,
} from '../../emulator/index.js';

function integer(name: string, min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min)
      throw new InvalidArgumentError(`${name} must be an integer >= ${min}`);
    return n;
  };
}

function positive(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!(n > 0)) throw new InvalidArgumentError(`${name} must be a positive number`);
    return n;
  };
}

/** Where the portal listens and what it holds. */
function portalOptions<A extends unknown[], O extends OptionValues, G extends OptionValues>(
  command: Command<A, O, G>,
) {
  return command
    .option('--port <n>', 'port to listen on (0 = any free port)', integer('--port', 0), 0)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--seed <n>', 'seed of the generated data, secrets and faults', integer('--seed', 0), 1)
    .option('--scale <n>', 'portal size (about this many deals)', integer('--scale', 1), 1000)
    .option(
      '--spa-types <n>',
      'smart-process types on the portal (each adds 3 streams; 60 gives about 200 streams)',
      integer('--spa-types', 0),
      2,
    )
    .addOption(
      new Option('--plan <plan>', 'request-rate plan')
        .choices(['standard', 'enterprise', 'unlimited'] as const)
        .default('standard' as const),
    )
    .option(
      '--scopes <list>',
      'granted scopes, comma-separated',
      'crm,user,department,telephony,imopenlines',
    );
}

/** How the portal behaves: faults, clock, TLS, limits, encodings, OAuth, real portals' variants. */
function behaviourOptions<A extends unknown[], O extends OptionValues, G extends OptionValues>(
  command: Command<A, O, G>,
) {
  return command
    .option(
      '--faults <spec>',
      'fault rates, e.g. 5xx=0.05,html=0.02,reset=0.01,slow=0.02:3000,malformed=0.01,truncated=0.01',
    )
    .option('--time-scale <n>', 'emulated clock speed-up', positive('--time-scale'), 1)
    .option('--tls', 'serve HTTPS with a self-signed certificate (its PEM path is printed as ca_file)')
    .option('--ca-file <path>', 'where to write the certificate PEM with --tls')
    .option(
      '--operating-limit <seconds>',
      'operating time per method per 10 minutes',
      positive('--operating-limit'),
      480,
    )
    .addOption(
      new Option('--batch-billing <mode>', 'bill batch commands to their own methods (inner) or to batch')
        .choices(['inner', 'batch'] as const)
        .default('inner' as const),
    )
    .addOption(
      new Option(
        '--json-escaping <mode>',
        "answer text as UTF-8 (raw) or escaped as a portal's PHP writes it (php)",
      )
        .choices(['raw', 'php'] as const)
        .default('raw' as const),
    )
    .option('--token-ttl <seconds>', 'OAuth access-token lifetime', integer('--token-ttl', 1), 3600)
    .option('--redirect-uri <url>', 'the OAuth app redirect URI used by /oauth/authorize/')
    .option(
      '--variant <list>',
      "real portals' divergences, e.g. short-pages,literal-refs,missing-methods=user.fields+crm.deal.fields",
    );
}

function emulatorCommand(program: Command) {
  const command = program
    .command('emulator')
    .description(
      'Serve an emulated Bitrix24 portal on this machine (prints one JSON line with how to connect).',
    );
  return behaviourOptions(portalOptions(command));
}

type EmulatorCliOptions = ReturnType<ReturnType<typeof emulatorCommand>['opts']>;
type UsageError = (message: string) => never;

function emulatorOptions(opts: EmulatorCliOptions): EmulatorOptions {
  return {
    port: opts.port,
    host: opts.host,
    seed: opts.seed,
    scale: opts.scale,
    spaTypes: opts.spaTypes,
    plan: opts.plan as Plan,
    scopes: opts.scopes
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    faults: opts.faults,
    timeScale: opts.timeScale,
    tls: opts.tls === true,
    caFile: opts.caFile,
    operatingLimit: opts.operatingLimit,
    batchBilling: opts.batchBilling as BatchBilling,
    jsonEscaping: opts.jsonEscaping as JsonEscaping,
    tokenTtl: opts.tokenTtl,
    redirectUri: opts.redirectUri,
    variants: opts.variant,
  };
}

/** Starts the portal, prints how to connect, and serves until SIGINT or SIGTERM. */
async function serveEmulator(opts: EmulatorCliOptions, usageError: UsageError): Promise<void> {
  try {
    // Checked here so a bad spec is a usage error, not a stack trace.
    parseFaultSpec(opts.faults);
  } catch (error) {
    if (error instanceof FaultSpecError) usageError(`error: --faults: ${error.message}`);
    throw error;
  }
  let emulator: RunningEmulator;
  try {
    emulator = await startEmulator(emulatorOptions(opts));
  } catch (error) {
    // Checked before the server listens, so a bad spec is a usage error, not a stack trace.
    if (error instanceof VariantSpecError) usageError(`error: --variant: ${error.message}`);
    throw error;
  }
  process.stdout.write(`${JSON.stringify(emulator.connectionInfo())}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      emulator.close().then(resolve, resolve);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

export function registerEmulator(program: Command): void {
  emulatorCommand(program).action((opts, command) =>
    serveEmulator(opts, (message) => command.error(message)),
  );
}
