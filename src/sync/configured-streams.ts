/**
 * Names under the config's `streams` must be streams the portal knows (offered, or known but
 * unavailable such as an option-gated one): a typo (`deal`) would otherwise be ignored and the
 * settings under it silently lost. Stream names partly come from the portal (`spa_<entityTypeId>`),
 * so this runs after discovery, in `sync`, `check`, Singer mode and the console alike.
 */
import { ConfigError } from '../client/index.js';
import type { StreamDeclaration } from '../streams/declaration.js';
import { declarationNamed } from '../streams/relations.js';

interface Discovered {
  streams: readonly { name: string }[];
  unavailable: readonly { name: string }[];
  /** Families the run does not read, left undescribed: a name of theirs is known, not checked further. */
  undescribed?: readonly StreamDeclaration[];
}

/** Throws a ConfigError naming the first unknown stream and the closest known name. */
export function checkConfiguredStreams(
  configured: Readonly<Record<string, unknown>>,
  discovery: Discovered,
): void {
  const undescribed = discovery.undescribed ?? [];
  const known = [...discovery.streams, ...discovery.unavailable].map((s) => s.name);
  const names = new Set(known);
  for (const name of Object.keys(configured)) {
    if (names.has(name) || declarationNamed(name, undescribed)) continue;
    const guess = closestName(name, known);
    const hint = guess ? `did you mean \`${guess}\`?` : 'no stream of that name on this portal';
    throw new ConfigError(
      `streams.${name}`,
      `config.streams.${name}: unknown stream; ${hint} (\`tap-bitrix24 check\` lists the streams)`,
    );
  }
}

/** The known name nearest by edit distance, if near enough to be a typo of it. */
export function closestName(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const d = distance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

/** Levenshtein distance. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min((previous[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = row;
  }
  return previous[b.length] ?? 0;
}
