/**
 * A representative set of list and batch calls whose answers must not change by a byte when the
 * emulator's serving path changes: keyset chains through `$result` references, offset pages with
 * `total`/`next`, filters and orders on plain columns, selects, wrapped lists (crm.item), a
 * write read back through a reference, whole-answer and `result_total`/`result_next`
 * references, errors with and without `halt`, under raw and PHP escaping and the short-pages and
 * literal-refs variants. The recorded answers (test/fixtures/emulator-answers/answers.json: each
 * answer's SHA-256 and length, about 1.5 MB of text in all) are those of the emulator before
 * answers were serialised in pieces; run this file to record them again, from any source tree:
 *
 *   node --import tsx test/emulator/answer-requests.ts [SRC_DIR] > test/fixtures/emulator-answers/answers.json
 */
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { EmulatorOptions, RunningEmulator } from '../../src/emulator/index.js';

export interface AnswerRequest {
  name: string;
  /** Which emulator answers it (see EMULATORS). */
  emulator: keyof typeof EMULATORS;
  /** Method path after the webhook URL. */
  method: string;
  /** JSON body (POST), or none (GET with the query in `method`). */
  body?: unknown;
}

export const EMULATORS = {
  raw: {},
  php: { jsonEscaping: 'php' },
  variants: { variants: ['short-pages', 'literal-refs'] },
} satisfies Record<string, EmulatorOptions>;

const keyset = (method: string, select: string, after: string) =>
  `${method}?order[ID]=ASC&filter[>ID]=${after}&start=-1${select}`;

const DEAL_CHAIN = {
  p0: keyset('crm.deal.list', '&select[]=*&select[]=UF_*', '0'),
  p1: keyset('crm.deal.list', '&select[]=*&select[]=UF_*', '$result[p0][49][ID]'),
  p2: keyset('crm.deal.list', '&select[]=*&select[]=UF_*', '$result[p1][49][ID]'),
};

const MIXED_BATCH = {
  cmd: {
    contacts: keyset('crm.contact.list', '&select[]=*&select[]=UF_*&select[]=PHONE&select[]=EMAIL', '0'),
    more: keyset('crm.contact.list', '&select[]=ID&select[]=NAME', '$result[contacts][49][ID]'),
    past: keyset('crm.contact.list', '&select[]=ID', '$result[more][49][ID]'),
    counted: 'crm.lead.list?start=50&select[]=ID&select[]=TITLE&order[TITLE]=DESC',
    total: 'crm.company.list?filter[<ID]=$result_total[counted]&select[]=ID&start=0',
    items: 'crm.item.list?entityTypeId=128&order[id]=ASC&filter[>id]=0&start=-1',
    history: 'crm.stagehistory.list?entityTypeId=2&order[ID]=ASC&filter[>ID]=0&start=-1',
    activity: keyset('crm.activity.list', '&select[]=*&select[]=COMMUNICATIONS', '0'),
    product: keyset('crm.product.list', '&select[]=*&select[]=PROPERTY_*', '0'),
    wrong: 'crm.nothing.list',
    status: 'crm.status.list?filter[ENTITY_ID]=STATUS',
  },
};

export const ANSWER_REQUESTS: AnswerRequest[] = [
  ...(['raw', 'php', 'variants'] as const).flatMap((emulator): AnswerRequest[] => [
    { name: `${emulator} deal chain`, emulator, method: 'batch', body: { cmd: DEAL_CHAIN } },
    { name: `${emulator} mixed batch`, emulator, method: 'batch', body: MIXED_BATCH },
    {
      name: `${emulator} contact page`,
      emulator,
      method: 'crm.contact.list',
      body: { select: ['*', 'UF_*', 'PHONE', 'EMAIL', 'WEB', 'IM'], start: 0 },
    },
  ]),
  {
    name: 'raw array batch with a halt',
    emulator: 'raw',
    method: 'batch',
    body: {
      halt: 1,
      cmd: [
        keyset('crm.lead.list', '&select[]=ID&select[]=TITLE', '0'),
        'crm.deal.get?id=0',
        'crm.lead.list',
      ],
    },
  },
  {
    name: 'raw whole answers as parameters',
    emulator: 'raw',
    method: 'batch',
    body: {
      cmd: {
        ids: 'crm.deal.list?select[]=ID&order[ID]=DESC&start=-1&filter[<ID]=6',
        again: {
          method: 'crm.deal.list',
          params: { filter: { '@ID': '$result[ids]' }, select: ['ID', 'STAGE_ID'] },
        },
        row: { method: 'crm.deal.list', params: { filter: { ID: '$result[ids][1]' }, select: ['ID'] } },
        picked: {
          method: 'crm.deal.list',
          params: {
            filter: { '@ID': ['$result[ids][0][ID]', '$result[ids][3][ID]'] },
            select: ['ID', 'TITLE'],
          },
        },
        next: 'crm.deal.list?select[]=ID&start=$result_next[again]',
      },
    },
  },
  {
    name: 'raw write read back through a reference',
    emulator: 'raw',
    method: 'batch',
    body: {
      cmd: {
        add: 'crm.deal.add?fields[TITLE]=Сделка <new> & "quoted"&fields[OPPORTUNITY]=10',
        read: 'crm.deal.list?filter[ID]=$result[add]&select[]=ID&select[]=TITLE&select[]=OPPORTUNITY',
        gone: 'crm.deal.list?filter[ID]=$result[missing][0]&select[]=ID',
      },
    },
  },
  {
    name: 'variants unresolved reference past a list end',
    emulator: 'variants',
    method: 'batch',
    body: {
      cmd: {
        last: keyset('crm.deal.list', '&select[]=ID', '10000'),
        after: keyset('crm.deal.list', '&select[]=ID', '$result[last][49][ID]'),
      },
    },
  },
];

/** The emulated clock's fields of `time` objects: they tell when, not what, the portal answered. */
const TIME_FIELDS =
  /"(start|finish|duration|processing|date_start|date_finish|operating_reset_at|operating)":("[^"]*"|[-+0-9.eE]+)/g;

export function withoutTimes(body: string): string {
  return body.replace(TIME_FIELDS, '"$1":0');
}

/** An answer's fingerprint: its SHA-256 and length in UTF-8 bytes. */
export function digest(text: string): { sha256: string; bytes: number } {
  return { sha256: createHash('sha256').update(text).digest('hex'), bytes: Buffer.byteLength(text) };
}

type Start = (options: EmulatorOptions) => Promise<RunningEmulator>;

/**
 * An emulator whose portal is exactly the one of `now`: the portal is generated from its clock's
 * reading, which moves with real time, so real time is held still while it starts.
 */
export async function startExact(start: Start, options: EmulatorOptions): Promise<RunningEmulator> {
  const realNow = performance.now;
  const frozen = performance.now();
  performance.now = () => frozen;
  try {
    return await start({
      seed: 3,
      scale: 60,
      plan: 'unlimited',
      now: Date.UTC(2026, 0, 15, 9, 30),
      ...options,
    });
  } finally {
    performance.now = realNow;
  }
}

/** Every request's status and body (times zeroed), in order, from emulators made by `start`. */
export async function answersOf(start: Start): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [kind, options] of Object.entries(EMULATORS)) {
    const emulator = await startExact(start, options as EmulatorOptions);
    try {
      for (const r of ANSWER_REQUESTS.filter((q) => q.emulator === kind)) {
        const res = await fetch(`${emulator.webhookUrl}${r.method}`, {
          method: r.body === undefined ? 'GET' : 'POST',
          headers: r.body === undefined ? {} : { 'content-type': 'application/json' },
          body: r.body === undefined ? undefined : JSON.stringify(r.body),
        });
        out[r.name] = `${res.status} ${withoutTimes(await res.text())}`;
      }
    } finally {
      await emulator.close();
    }
  }
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const root = resolve(process.argv[2] ?? new URL('../../src', import.meta.url).pathname);
  const module = (await import(pathToFileURL(resolve(root, 'emulator/index.ts')).href)) as {
    startEmulator: Start;
  };
  const answers = await answersOf(module.startEmulator);
  const digests = Object.fromEntries(Object.entries(answers).map(([name, text]) => [name, digest(text)]));
  process.stdout.write(`${JSON.stringify(digests, null, 1)}\n`);
}
