/**
 * Reading answer bodies alone: batch answers as a sync asks them (50 keyset pages of 50 rows of
 * deals, contacts, leads and activities with every field), recorded once from an emulator portal
 * in both escapings (`raw` UTF-8, `php` `\uXXXX`), then read from their bytes, in 64 KiB chunks as
 * the HTTP client hands them over, two ways, interleaved: the connector's reader
 * (`parseJsonBody`: one flat Latin-1 string, strings holding UTF-8 re-read) and the reading it
 * replaced (each chunk decoded with a streaming TextDecoder, the texts concatenated, JSON.parse,
 * then the depth check). CPU seconds of this process, garbage collection included; median and
 * range of the rounds.
 *
 *   npx tsx bench/answer-parse.ts [--scale 20000] [--rounds 5] [--repeat 10]
 */
import { parseArgs } from 'node:util';
import { MAX_ANSWER_DEPTH } from '../src/client/answer.js';
import { nestsDeeperThan, parseJsonBody } from '../src/client/json-body.js';
import { startEmulator } from '../src/emulator/index.js';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '20000' },
    rounds: { type: 'string', default: '5' },
    repeat: { type: 'string', default: '10' },
  },
});
const lists = ['crm.deal.list', 'crm.contact.list', 'crm.lead.list', 'crm.activity.list'];
const CHUNK = 64 * 1024;

/** One batch of 50 keyset pages per list, as the connector's chained windows ask them. */
async function recordAnswers(escaping: 'raw' | 'php'): Promise<Buffer[][]> {
  const emulator = await startEmulator({
    scale: Number(values.scale),
    timeScale: 100_000,
    jsonEscaping: escaping,
  });
  try {
    const answers: Buffer[][] = [];
    for (const method of lists) {
      const select = method === 'crm.activity.list' ? ['*'] : ['*', 'UF_*', 'PHONE', 'EMAIL'];
      const cmd: Record<string, string> = {};
      for (let p = 0; p < 50; p++) {
        const query = new URLSearchParams({ 'filter[>ID]': String(p * 50), 'order[ID]': 'ASC', start: '-1' });
        for (const field of select) query.append('select[]', field);
        cmd[`p${p}`] = `${method}?${query}`;
      }
      const response = await fetch(`${emulator.webhookUrl}batch.json`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ halt: 0, cmd }),
      });
      const bytes = Buffer.from(await response.arrayBuffer());
      const chunks: Buffer[] = [];
      for (let at = 0; at < bytes.length; at += CHUNK)
        chunks.push(Buffer.from(bytes.subarray(at, at + CHUNK)));
      answers.push(chunks);
    }
    return answers;
  } finally {
    await emulator.close();
  }
}

/** The reading `parseJsonBody` replaced. */
function decodedChunks(chunks: Buffer[]): unknown {
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  let text = '';
  for (const chunk of chunks) text += decoder.decode(chunk, { stream: true });
  const value: unknown = JSON.parse(text + decoder.decode());
  if (typeof value === 'object' && value !== null) nestsDeeperThan(value, MAX_ANSWER_DEPTH);
  return value;
}

function bytesRead(chunks: Buffer[]): unknown {
  const size = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  return parseJsonBody(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size), MAX_ANSWER_DEPTH);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const readers = { 'decoded chunks (before)': decodedChunks, 'bytes (parseJsonBody)': bytesRead };

for (const escaping of ['raw', 'php'] as const) {
  const answers = await recordAnswers(escaping);
  const megabytes = answers.flat().reduce((sum, chunk) => sum + chunk.length, 0) / 2 ** 20;
  // The results agree, or the comparison means nothing.
  for (const chunks of answers)
    if (JSON.stringify(decodedChunks(chunks)) !== JSON.stringify(bytesRead(chunks)))
      throw new Error(`the two readings differ on a ${escaping} answer`);
  const cpu: Record<string, number[]> = Object.fromEntries(Object.keys(readers).map((name) => [name, []]));
  const held: unknown[] = [];
  for (let round = 0; round < Number(values.rounds); round++) {
    for (const [name, read] of Object.entries(readers)) {
      const started = process.cpuUsage();
      for (let r = 0; r < Number(values.repeat); r++)
        for (const chunks of answers) {
          // A few answers stay alive, as a sync's read-ahead keeps them, so the collector works as there.
          held.push(read(chunks));
          if (held.length > 8) held.shift();
        }
      const used = process.cpuUsage(started);
      cpu[name].push((used.user + used.system) / 1e6);
    }
  }
  const read = megabytes * Number(values.repeat);
  for (const [name, seconds] of Object.entries(cpu)) {
    console.log(
      JSON.stringify({
        escaping,
        reader: name,
        megabytesPerRound: Number(read.toFixed(1)),
        cpuSecondsMedian: Number(median(seconds).toFixed(3)),
        cpuSecondsRange: [Math.min(...seconds), Math.max(...seconds)].map((s) => Number(s.toFixed(3))),
        megabytesPerCpuSecond: Math.round(read / median(seconds)),
      }),
    );
  }
}
