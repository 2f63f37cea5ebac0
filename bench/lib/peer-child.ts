/**
 * Child process: exports entity lists with one peer client and prints one JSON line
 * ({ peer, rows, seconds, timeline, peakRssMb, errors }). Run by run.ts with NODE_EXTRA_CA_CERTS
 * pointing at the emulator's certificate when the peer needs HTTPS.
 *
 *   tsx bench/lib/peer-child.ts '{"peer":"offset","webhookUrl":"…","methods":["crm.deal.list"],"select":["*","UF_*"]}'
 */

import { Bitrix } from '@2bad/bitrix';
import { B24Hook } from '@bitrix24/b24jssdk';
import { RowTimeline } from './row-timeline.js';
import { TIME_WARP } from './time-warp.js';

export type PeerName = 'b24jssdk' | '2bad' | 'offset';

export interface PeerJob {
  peer: PeerName;
  webhookUrl: string;
  methods: string[];
  select: string[];
  /**
   * Also name every multiple field (multifields such as PHONE, multiple UF_* fields), learnt from
   * the entity's `.fields` call, as the connector does: `*` and `UF_*` leave them out, so without
   * this a peer reads fewer fields per row than we do.
   */
  multipleFields?: boolean;
}

type Row = Record<string, unknown>;

/** Plain offset paging: start = 0, 50, 100 … one page per request, as most scripts do. */
async function offsetLoop(
  job: PeerJob,
  method: string,
  select: string[],
  onRows: (n: number) => void,
): Promise<void> {
  for (let start = 0; ; ) {
    const response = await fetch(`${job.webhookUrl}${method}.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ select, order: { ID: 'ASC' }, start }),
    });
    const body = (await response.json()) as { result?: Row[]; next?: number; error?: string };
    if (body.error === 'QUERY_LIMIT_EXCEEDED' || body.error === 'OPERATION_TIME_LIMIT') {
      await new Promise((r) => setTimeout(r, 500));
      continue;
    }
    if (!body.result) throw new Error(`${method}: ${body.error ?? response.status}`);
    onRows(body.result.length);
    if (body.next === undefined) return;
    start = body.next;
  }
}

/** The job's select plus every multiple field of the method's entity (one `.fields` call). */
async function selectFor(job: PeerJob, method: string): Promise<string[]> {
  if (!job.multipleFields) return job.select;
  const describe = method.replace(/\.list$/, '.fields');
  const response = await fetch(`${job.webhookUrl}${describe}.json`, { method: 'POST' });
  const body = (await response.json()) as { result?: Record<string, { isMultiple?: boolean }> };
  if (!body.result) throw new Error(`${describe}: ${response.status}`);
  const multiple = Object.entries(body.result)
    .filter(([, field]) => field.isMultiple === true)
    .map(([name]) => name);
  return [...job.select, ...multiple];
}

async function sdkFetchList(b24: B24Hook, method: string, select: string[], onRows: (n: number) => void) {
  for await (const page of b24.actions.v2.fetchList.make<Row>({
    method,
    params: { select },
    idKey: 'ID',
  })) {
    onRows(page.length);
  }
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? '{}') as PeerJob;
  const timeline = new RowTimeline();
  const errors: string[] = [];
  const started = performance.now();
  const onRows = (n: number) => timeline.add(n);
  let run: (method: string, select: string[]) => Promise<void>;
  if (job.peer === 'offset') {
    run = (method, select) => offsetLoop(job, method, select, onRows);
  } else if (job.peer === 'b24jssdk') {
    const b24 = B24Hook.fromWebhookUrl(job.webhookUrl);
    b24.offClientSideWarning();
    run = (method, select) => sdkFetchList(b24, method, select, onRows);
  } else {
    const bitrix = Bitrix(job.webhookUrl.replace(/\/$/, ''));
    run = async (method, select) => {
      // Its list() reads page 1, then every other page by offset in batches, all held in memory.
      const answer = (await bitrix.list(method as never, { select } as never)) as unknown as {
        result: Row[];
      };
      onRows(answer.result.length);
    };
  }
  await Promise.all(
    job.methods.map((method) =>
      selectFor(job, method)
        .then((select) => run(method, select))
        .catch((error: unknown) => {
          errors.push(`${method}: ${error instanceof Error ? error.message : String(error)}`);
        }),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(
    `${JSON.stringify({ peer: job.peer, rows: timeline.rows, seconds, timeline: timeline.points(), peakRssMb: RowTimeline.peakRssMb(), errors, warp: TIME_WARP })}\n`,
  );
}

await main();
process.exit(0);
