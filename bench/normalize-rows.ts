/**
 * Normalising rows alone: deal, contact and lead rows as an emulator portal lists them (`select *,
 * UF_*, PHONE, EMAIL`, 1,000 of each), parsed beforehand, normalised 15 times over 20 copies; the
 * CPU seconds of this process (JSON parsing and garbage collection included) per entity.
 *
 *   npx tsx bench/normalize-rows.ts
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { type FieldMap, recordShape } from '../src/schema/index.js';

const binary = fileURLToPath(new URL('../bin/tap-bitrix24.js', import.meta.url));
const args = ['emulator', '--scale', '2000', '--plan', 'unlimited', '--time-scale', '100000', '--port', '0'];
const child = spawn(process.execPath, [binary, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
let url = '';
for await (const line of createInterface({ input: child.stdout as NodeJS.ReadableStream })) {
  const info = line.startsWith('{') ? (JSON.parse(line) as { webhook_url?: string }) : {};
  if (info.webhook_url) {
    url = info.webhook_url;
    break;
  }
}

async function call(method: string, body: unknown): Promise<string> {
  const answer = await fetch(`${url}${method}.json`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return answer.text();
}

const lists: { entity: string; fields: FieldMap; texts: string[] }[] = [];
try {
  for (const entity of ['deal', 'contact', 'lead']) {
    const fields = (JSON.parse(await call(`crm.${entity}.fields`, {})) as { result: FieldMap }).result;
    const texts: string[] = [];
    for (let start = 0; start < 1000; start += 50)
      texts.push(await call(`crm.${entity}.list`, { select: ['*', 'UF_*', 'PHONE', 'EMAIL'], start }));
    lists.push({ entity, fields, texts });
  }
} finally {
  child.kill();
}

for (const { entity, fields, texts } of lists) {
  const shape = recordShape(fields, { portalOffset: '+03:00' });
  const pages: Record<string, unknown>[][] = [];
  for (let copy = 0; copy < 20; copy++)
    for (const text of texts) pages.push((JSON.parse(text) as { result: Record<string, unknown>[] }).result);
  let rows = 0;
  const started = process.cpuUsage();
  for (let pass = 0; pass < 15; pass++)
    for (const page of pages)
      for (const row of page) {
        shape.normalize(row);
        rows++;
      }
  const used = process.cpuUsage(started);
  const cpuSeconds = (used.user + used.system) / 1e6;
  console.log(
    JSON.stringify({
      entity,
      fields: Object.keys(fields).length,
      rows,
      cpuSeconds: Number(cpuSeconds.toFixed(2)),
    }),
  );
}
