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

export function parseSingerArgs(args: readonly string[]): SingerInvocation {
  const configPaths: string[] = [];
  let catalogPath: string | undefined;
  let statePath: string | undefined;
  let format: SingerInvocation['format'] | undefined;
  let sawConfig = false;
  let about = false;
  let discover = false;
  let test: 'connection' | 'schema' | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    const value = (): string => {
      if (inline !== undefined) return inline;
      const next = args[i + 1];
      if (next === undefined || next.startsWith('--')) throw new UsageError(`${flag} needs a value`);
      i += 1;
      return next;
    };
    switch (flag) {
      case '--config': {
        const path = value();
        sawConfig = true;
        if (path !== 'ENV') configPaths.push(path);
        break;
      }
      case '--catalog':
      case '--properties':
        catalogPath = value();
        break;
      case '--state':
        statePath = value();
        break;
      case '--format': {
        const f = value();
        if (f !== 'json' && f !== 'markdown' && f !== 'text') {
          throw new UsageError(`--format must be json, markdown or text, not '${f}'`);
        }
        format = f;
        break;
      }
      case '--discover':
        discover = true;
        break;
      case '--about':
        about = true;
        break;
      case '--test': {
        let mode = inline;
        if (mode === undefined && args[i + 1] === 'schema') mode = args[++i];
        if (mode !== undefined && mode !== 'schema' && mode !== 'connection') {
          throw new UsageError(`--test takes no value or =schema, not '${mode}'`);
        }
        test = mode === 'schema' ? 'schema' : 'connection';
        break;
      }
      default:
        throw new UsageError(`unknown argument '${arg}'`);
    }
  }
  const actions = [about, discover, test !== undefined].filter(Boolean).length;
  if (actions > 1) throw new UsageError('use only one of --about, --discover, --test');
  const action: SingerAction = about
    ? 'about'
    : discover
      ? 'discover'
      : test === 'schema'
        ? 'test-schema'
        : test
          ? 'test'
          : 'sync';
  if (action !== 'about' && !sawConfig) {
    throw new UsageError('--config is required');
  }
  const invocation: SingerInvocation = {
    action,
    configPaths,
    format: format ?? (action === 'about' ? 'text' : 'json'),
  };
  if (catalogPath !== undefined) invocation.catalogPath = catalogPath;
  if (statePath !== undefined) invocation.statePath = statePath;
  return invocation;
}
