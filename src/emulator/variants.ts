/**
 * Switchable divergences of real portals from the documented behaviour, so clients can be tested
 * against them: `--variant short-pages,literal-refs,missing-methods=user.fields+crm.deal.fields`.
 * No variant (the default) is the documented behaviour.
 *  - short-pages: some list methods cap a page below the limit asked for, and rows the
 *    credential may not see are removed from pages after the SQL LIMIT (short-pages.ts).
 *  - literal-refs: a `$result[...]` reference that resolves to nothing stays literal text and a
 *    numeric filter casts that text as PHP does (leading digits, else 0), as the docs describe.
 *  - missing-methods=a+b: the portal (edition, version) has no such methods.
 */

export const VARIANT_NAMES = ['short-pages', 'literal-refs', 'missing-methods'] as const;

export interface Variants {
  shortPages: boolean;
  literalRefs: boolean;
  missingMethods: string[];
}

export class VariantSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VariantSpecError';
  }
}

/** Reads `short-pages,literal-refs,missing-methods=a+b` (a string or its comma-separated parts). */
export function parseVariants(spec: string | readonly string[] | undefined): Variants {
  const out: Variants = { shortPages: false, literalRefs: false, missingMethods: [] };
  const parts = (typeof spec === 'string' ? spec.split(',') : (spec ?? []))
    .map((p) => p.trim())
    .filter(Boolean);
  for (const part of parts) {
    const eq = part.indexOf('=');
    const name = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? undefined : part.slice(eq + 1);
    if (name === 'short-pages' && value === undefined) out.shortPages = true;
    else if (name === 'literal-refs' && value === undefined) out.literalRefs = true;
    else if (name === 'missing-methods' && value) {
      out.missingMethods.push(
        ...value
          .split('+')
          .map((m) => m.trim().toLowerCase())
          .filter(Boolean),
      );
    } else {
      throw new VariantSpecError(
        `unknown variant "${part}"; known: short-pages, literal-refs, missing-methods=METHOD+METHOD`,
      );
    }
  }
  return out;
}

/** PHP's (int) cast of a string: its leading integer, or 0. */
export function phpInt(text: string): number {
  const m = /^\s*[+-]?\d+/.exec(text);
  return m ? Number(m[0]) : 0;
}
