/**
 * The Singer command line: flags only, as Meltano calls taps. Parsed by hand because the flags
 * have Singer's own quirks: `--config` repeats and accepts the word ENV (settings from the
 * environment only), `--properties` is the old name of `--catalog`, `--test` takes an optional
 * `=schema`.
 */

export type SingerAction = 'about' | 'discover' | 'sync' | 'test' | 'test-schema';

export interface SingerInvocation {
  action: SingerAction;
  /** Config files, merged left to right; ENV entries are dropped (the environment always applies). */
  configPaths: string[];
  catalogPath?: string;
  statePath?: string;
  format: 'json' | 'markdown' | 'text';
}

export class UsageError extends Error {
  constructor(message: string) {
    super(
      `${message}. Usage: tap-bitrix24 --config CONFIG [--discover | --catalog CATALOG [--state STATE]] | --about`,
    );
    this.name = 'UsageError';
  }
}

const FLAGS = new Set([
  '--config',
  '--discover',
  '--about',
  '--catalog',
  '--properties',
  '--state',
  '--test',
  '--format',
]);

/** True when the arguments are Singer flags (no subcommand), e.g. as Meltano invokes a tap. */
export function isSingerArgs(args: readonly string[]): boolean {
  const first = args[0];
  return first !== undefined && FLAGS.has(first.split('=')[0]!) && first.split('=')[0] !== '--format';
}

/** The flags read so far; which action they ask for is decided once all are read. */
interface SeenFlags {
  configPaths: string[];
  catalogPath?: string;
  statePath?: string;
  format?: SingerInvocation['format'];
  sawConfig: boolean;
  about: boolean;
  discover: boolean;
  test?: 'connection' | 'schema';
}

function formatValue(f: string): SingerInvocation['format'] {
  if (f !== 'json' && f !== 'markdown' && f !== 'text') {
    throw new UsageError(`--format must be json, markdown or text, not '${f}'`);
  }
  return f;
}

/** Reads the flag at args[i] into `seen`; answers the index of the last argument it used. */
function readFlag(args: readonly string[], i: number, seen: SeenFlags): number {
  const arg = args[i]!;
  const eq = arg.indexOf('=');
  const flag = eq > 0 ? arg.slice(0, eq) : arg;
  const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
  let last = i;
  const value = (): string => {
    if (inline !== undefined) return inline;
    const next = args[i + 1];
    if (next === undefined || next.startsWith('--')) throw new UsageError(`${flag} needs a value`);
    last = i + 1;
    return next;
  };
  switch (flag) {
    case '--config': {
      const path = value();
      seen.sawConfig = true;
      if (path !== 'ENV') seen.configPaths.push(path);
      break;
    }
    case '--catalog':
    case '--properties':
      seen.catalogPath = value();
      break;
    case '--state':
      seen.statePath = value();
      break;
    case '--format':
      seen.format = formatValue(value());
      break;
    case '--discover':
      seen.discover = true;
      break;
    case '--about':
      seen.about = true;
      break;
    case '--test': {
      let mode = inline;
      if (mode === undefined && args[i + 1] === 'schema') {
        last = i + 1;
        mode = args[last];
      }
      if (mode !== undefined && mode !== 'schema' && mode !== 'connection') {
        throw new UsageError(`--test takes no value or =schema, not '${mode}'`);
      }
      seen.test = mode === 'schema' ? 'schema' : 'connection';
      break;
    }
    default:
      throw new UsageError(`unknown argument '${arg}'`);
  }
  return last;
}

/** The one action the flags ask for: about, discover or test when given, else sync. */
function chosenAction(seen: SeenFlags): SingerAction {
  const actions = [seen.about, seen.discover, seen.test !== undefined].filter(Boolean).length;
  if (actions > 1) throw new UsageError('use only one of --about, --discover, --test');
  if (seen.about) return 'about';
  if (seen.discover) return 'discover';
  if (seen.test === 'schema') return 'test-schema';
  return seen.test ? 'test' : 'sync';
}

export function parseSingerArgs(args: readonly string[]): SingerInvocation {
  const seen: SeenFlags = { configPaths: [], sawConfig: false, about: false, discover: false };
  for (let i = 0; i < args.length; i++) i = readFlag(args, i, seen);
  const action = chosenAction(seen);
  if (action !== 'about' && !seen.sawConfig) {
    throw new UsageError('--config is required');
  }
  const invocation: SingerInvocation = {
    action,
    configPaths: seen.configPaths,
    format: seen.format ?? (action === 'about' ? 'text' : 'json'),
  };
  if (seen.catalogPath !== undefined) invocation.catalogPath = seen.catalogPath;
  if (seen.statePath !== undefined) invocation.statePath = seen.statePath;
  return invocation;
}
