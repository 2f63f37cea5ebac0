/**
 * How streams relate, read from the `relations` of their declarations: the README's and the
 * reference's data model diagram and the console's table diagram are drawn from here, so a
 * relation is stated once, on the stream that holds the referencing column.
 */
import { STREAM_DECLARATIONS } from './catalog.js';
import type { StreamDeclaration, StreamRelation } from './declaration.js';

/** One referencing column between two streams, by their names. */
export interface StreamLink {
  from: string;
  to: string;
  via: string;
  reach: StreamRelation['reach'];
}

/** Per-object families (one stream per smart process) put this in their name and relations. */
const PER_OBJECT = '{entityTypeId}';

/** A family with one stream per smart process (`spa_{entityTypeId}`), named once the portal lists them. */
export function isPerObject(declaration: Pick<StreamDeclaration, 'name'>): boolean {
  return declaration.name.includes(PER_OBJECT);
}

/**
 * The declaration a stream name belongs to, and the smart process it stands for: `spa_128` is
 * `spa_{entityTypeId}` for entityTypeId 128. For names without a `Stream` at hand (a table in
 * the warehouse); a `Stream` carries its declaration itself.
 */
export function declarationNamed(
  name: string,
  declarations: readonly StreamDeclaration[] = STREAM_DECLARATIONS,
): { declaration: StreamDeclaration; entityTypeId?: string } | undefined {
  for (const declaration of declarations) {
    const [head, tail] = declaration.name.split(PER_OBJECT);
    if (tail === undefined) {
      if (declaration.name === name) return { declaration };
      continue;
    }
    if (!name.startsWith(head!) || !name.endsWith(tail)) continue;
    const entityTypeId = name.slice(head!.length, name.length - tail.length);
    if (/^\d+$/.test(entityTypeId)) return { declaration, entityTypeId };
  }
  return undefined;
}

/** The relations among the named streams whose both ends are present, in the order given. */
export function relationsAmongStreams(names: readonly string[]): StreamLink[] {
  const present = new Set(names);
  const links: StreamLink[] = [];
  for (const from of names) {
    const found = declarationNamed(from);
    for (const relation of found?.declaration.relations ?? []) {
      const to = relation.to.replace(PER_OBJECT, found?.entityTypeId ?? PER_OBJECT);
      if (present.has(to)) links.push({ from, to, via: relation.via, reach: relation.reach });
    }
  }
  return links;
}

/** Mermaid's crow's-foot end for how many records of the target one record points at. */
const TARGET_END: Record<StreamRelation['reach'], string> = { one: '||', zero_or_one: 'o|', many: 'o{' };

/** A diagram node's name: per-object families are written `spa_N`. */
function nodeName(name: string): string {
  return name.replace(PER_OBJECT, 'N');
}

/** The data model as a Mermaid ER diagram, one line per declared relation (README and reference). */
export function dataModelMermaid(declarations: readonly StreamDeclaration[] = STREAM_DECLARATIONS): string {
  const lines = ['```mermaid', 'erDiagram'];
  for (const d of declarations) {
    for (const r of d.relations ?? []) {
      lines.push(`  ${nodeName(d.name)} }o--${TARGET_END[r.reach]} ${nodeName(r.to)} : "${r.via}"`);
    }
  }
  lines.push('```');
  return lines.join('\n');
}
