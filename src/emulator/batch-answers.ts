/**
 * A batch's answers so far and the `$result[cmd][field]…` references later commands make to
 * them (`settings/how-to-call-rest-api/batch.md`). A command's result is kept as its JSON text
 * (http/json-fragment.ts) once the values later commands reference in it are taken: the batch's
 * rows then do not stay alive as objects until the last command has run.
 */
import { JsonFragment } from './http/json-fragment.js';
import type { JsonEscaping } from './http/php-json.js';
import type { Params, ParamValue } from './methods/contract.js';

type Member = 'result' | 'result_error' | 'result_total' | 'result_next' | 'result_time';

const REFERENCE =
  /\$(result|result_error|result_total|result_next|result_time)\[([^\]]+)\]((?:\[[^\]]*\])*)/g;
const WHOLE_REFERENCE = new RegExp(`^${REFERENCE.source}$`);

interface Hit {
  found: boolean;
  value?: unknown;
}

/** Follows `[key][key]…` from a command's answer; nothing found past a missing key or a scalar. */
function walk(start: unknown, path: string): Hit {
  let node = start;
  if (node === undefined) return { found: false };
  for (const [, key] of path.matchAll(/\[([^\]]*)\]/g)) {
    if (node === null || typeof node !== 'object') return { found: false };
    node = (node as Record<string, unknown>)[key];
    if (node === undefined) return { found: false };
  }
  return { found: true, value: node };
}

/** Every `$result[cmd]<path>` written in a command's parameters, as cmd → paths. */
function referencedPaths(params: ParamValue[]): Map<string, Set<string>> {
  const wanted = new Map<string, Set<string>>();
  const note = (id: string, path: string) => {
    const paths = wanted.get(id) ?? new Set<string>();
    paths.add(path);
    wanted.set(id, paths);
  };
  const visit = (value: ParamValue): void => {
    if (typeof value === 'string') {
      if (!value.includes('$result')) return;
      const whole = WHOLE_REFERENCE.exec(value);
      if (whole && whole[1] === 'result') note(whole[2], whole[3]);
      for (const m of value.matchAll(REFERENCE)) if (m[1] === 'result') note(m[2], m[3]);
    } else if (Array.isArray(value)) value.forEach(visit);
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(visit);
  };
  params.forEach(visit);
  return wanted;
}

/** How many references of one command resolved to nothing. */
export interface Substitution {
  unresolved: number;
}

export class BatchAnswers {
  readonly result = new Map<string, unknown>();
  readonly result_error = new Map<string, unknown>();
  readonly result_total = new Map<string, unknown>();
  readonly result_next = new Map<string, unknown>();
  readonly result_time = new Map<string, unknown>();
  private readonly wanted: Map<string, Set<string>>;
  /** Referenced values of `result`, by command and path, taken when the command answered. */
  private readonly taken = new Map<string, Hit>();

  constructor(
    commandParams: Params[],
    /** The escaping the answer is written in, which its kept texts are already in. */
    private readonly escaping: JsonEscaping,
  ) {
    this.wanted = referencedPaths(commandParams);
  }

  /** A command's result: what later commands reference is taken now, the rest kept as text. */
  setResult(id: string, value: unknown): void {
    for (const path of this.wanted.get(id) ?? []) this.taken.set(`${id}\u0000${path}`, walk(value, path));
    const text = value !== null && typeof value === 'object' ? new JsonFragment(value, this.escaping) : value;
    this.result.set(id, text);
  }

  private resolve(member: Member, id: string, path: string): Hit {
    if (member !== 'result') return walk(this[member].get(id), path);
    if (this.result.get(id) === undefined) return { found: false };
    return this.taken.get(`${id}\u0000${path}`) ?? { found: false };
  }

  /** Replaces references in string leaves; a reference that resolves to nothing stays as literal text. */
  substitute(value: ParamValue, seen: Substitution): ParamValue {
    if (typeof value === 'string') {
      if (!value.includes('$result')) return value;
      const whole = WHOLE_REFERENCE.exec(value);
      if (whole) {
        const hit = this.resolve(whole[1] as Member, whole[2], whole[3]);
        if (!hit.found) seen.unresolved++;
        return hit.found ? (hit.value as ParamValue) : value;
      }
      return value.replace(REFERENCE, (text, member: Member, id: string, path: string) => {
        const hit = this.resolve(member, id, path);
        if (hit.found && (typeof hit.value === 'string' || typeof hit.value === 'number'))
          return String(hit.value);
        seen.unresolved++;
        return text;
      });
    }
    if (Array.isArray(value)) return value.map((v) => this.substitute(v, seen));
    if (value !== null && typeof value === 'object') {
      const out: Params = {};
      for (const [k, v] of Object.entries(value)) out[k] = this.substitute(v, seen);
      return out;
    }
    return value;
  }
}
