/**
 * How a source's tables relate (deals → contacts/companies, deal products → products,
 * activities → their owners, smart-process items → their types…), drawn as a static SVG: one
 * column per folder, an arrow per reference column. Only tables that take part are drawn.
 */

import { multifieldOwnerColumn, multifieldTableNames } from '../destinations/multifield-tables.js';
import { relationsAmongStreams } from '../streams/index.js';

export interface TableRelation {
  from: string;
  to: string;
  /** The referencing column in `from`. */
  via: string;
}

/**
 * The relations among the given tables: those the streams declare, and each multifield child
 * table (contact_phones…) pointing at the stream it is derived from.
 */
export function relationsAmong(tables: readonly string[]): TableRelation[] {
  const present = new Set(tables);
  const out: TableRelation[] = relationsAmongStreams(tables).map(({ from, to, via }) => ({ from, to, via }));
  for (const owner of tables) {
    for (const child of multifieldTableNames(owner)) {
      if (present.has(child)) out.push({ from: child, to: owner, via: multifieldOwnerColumn(owner) });
    }
  }
  return out;
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const BOX_W = 170;
const BOX_H = 26;
const COL_GAP = 70;
const ROW_GAP = 12;
const PAD = 20;

/** An SVG of the relations; `label(stream)` names each box (the table name), `folder(stream)` its column. */
export function relationDiagramSvg(
  relations: readonly TableRelation[],
  label: (stream: string) => string,
  folder: (stream: string) => string,
): string {
  const nodes = [...new Set(relations.flatMap((r) => [r.from, r.to]))];
  if (nodes.length === 0) return '';
  const folders = [...new Set(nodes.map(folder))].sort();
  const position = new Map<string, { x: number; y: number }>();
  let height = 0;
  folders.forEach((f, col) => {
    const members = nodes.filter((n) => folder(n) === f).sort();
    members.forEach((n, row) => {
      const y = PAD + 22 + row * (BOX_H + ROW_GAP);
      position.set(n, { x: PAD + col * (BOX_W + COL_GAP), y });
      height = Math.max(height, y + BOX_H + PAD);
    });
  });
  // Room on the right for arrows that curve back into their own (last) column.
  const width = PAD * 2 + folders.length * BOX_W + (folders.length - 1) * COL_GAP + 60;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="relations" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="How the tables relate">`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#6b7280"/></marker></defs>',
  ];
  folders.forEach((f, col) => {
    parts.push(
      `<text x="${PAD + col * (BOX_W + COL_GAP)}" y="${PAD + 10}" class="folder">${escapeXml(f)}</text>`,
    );
  });
  for (const r of relations) {
    const a = position.get(r.from)!;
    const b = position.get(r.to)!;
    const sameColumn = a.x === b.x;
    const x1 = a.x + BOX_W;
    const y1 = a.y + BOX_H / 2;
    const x2 = sameColumn ? b.x + BOX_W : b.x < a.x ? b.x + BOX_W : b.x;
    const y2 = b.y + BOX_H / 2;
    const startX = !sameColumn && b.x < a.x ? a.x : x1;
    const bend = sameColumn ? 40 + Math.abs(y2 - y1) / 6 : (x2 - startX) / 2;
    const c1 = sameColumn ? startX + bend : startX + bend;
    const c2 = sameColumn ? x2 + bend : x2 - bend;
    parts.push(
      `<path d="M${startX},${y1} C${c1},${y1} ${c2},${y2} ${x2},${y2}" class="edge" marker-end="url(#arrow)"><title>${escapeXml(`${label(r.from)}.${r.via} → ${label(r.to)}`)}</title></path>`,
    );
  }
  for (const n of nodes) {
    const p = position.get(n)!;
    parts.push(
      `<g class="node"><rect x="${p.x}" y="${p.y}" width="${BOX_W}" height="${BOX_H}" rx="5"/><text x="${p.x + 10}" y="${p.y + 17}">${escapeXml(label(n))}</text></g>`,
    );
  }
  parts.push('</svg>');
  return parts.join('');
}
