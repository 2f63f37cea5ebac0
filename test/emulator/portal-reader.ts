/** Reads whole collections of a running emulator over its REST API, page by page (real HTTP). */
import assert from 'node:assert/strict';
import type { Answer, Json, startPortal } from './portal-http.js';

export type Obj = { [k: string]: Json };
type Portal = Awaited<ReturnType<typeof startPortal>>;

/** Every row of a list method: 50-row pages until the answer has no `next`. */
export async function listAll(portal: Portal, method: string, params: Obj = {}): Promise<Obj[]> {
  const rows: Obj[] = [];
  for (let start = 0; ; ) {
    const answer: Answer = await portal.call(method, { ...params, start });
    assert.equal(answer.status, 200, `${method}: ${JSON.stringify(answer.body)}`);
    const result = answer.body.result as Obj[] | { items: Obj[] };
    rows.push(...(Array.isArray(result) ? result : result.items));
    if (answer.body.next === undefined) return rows;
    start = answer.body.next;
  }
}

/** `get` of every id, 50 to a `batch` (legacy lists leave multiple UF fields out; get has them). */
export async function getAll(portal: Portal, method: string, ids: Json[]): Promise<Obj[]> {
  const rows: Obj[] = [];
  for (let k = 0; k < ids.length; k += 50) {
    const cmd = ids.slice(k, k + 50).map((id) => `${method}?id=${id}`);
    const answer = (await resultOf(portal, 'batch', { halt: 1, cmd })) as { result: Obj[] };
    rows.push(...answer.result);
  }
  return rows;
}

/** The result of one call, asserting it succeeded. */
export async function resultOf(portal: Portal, method: string, params: Obj = {}): Promise<Json> {
  const answer = await portal.call(method, params);
  assert.equal(answer.status, 200, `${method}: ${JSON.stringify(answer.body)}`);
  return answer.body.result as Json;
}

/** Rows grouped by a key, each group in the order read. */
export function groupBy(rows: Obj[], key: string): Map<string, Obj[]> {
  const out = new Map<string, Obj[]>();
  for (const row of rows) {
    const k = String(row[key]);
    const group = out.get(k);
    if (group) group.push(row);
    else out.set(k, [row]);
  }
  return out;
}

export const ms = (text: Json): number => Date.parse(String(text));
