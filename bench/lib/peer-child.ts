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
}

type Row = Record<string, unknown>;

/** Plain offset paging: start = 0, 50, 100 … one page per request, as most scripts do. */
async function offsetLoop(job: PeerJob, method: string, onRows: (n: number) => void): Promise<void> {
  for (let start = 0; ; ) {
    const response = await fetch(`${job.webhookUrl}${method}.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ select: job.select, order: { ID: 'ASC' }, start }),
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

async function sdkFetchList(b24: B24Hook, job: PeerJob, method: string, onRows: (n: number) => void) {
  for await (const page of b24.actions.v2.fetchList.make<Row>({
    method,
    params: { select: job.select },
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
  let run: (method: string) => Promise<void>;
  if (job.peer === 'offset') {
    run = (method) => offsetLoop(job, method, onRows);
  } else if (job.peer === 'b24jssdk') {
    const b24 = B24Hook.fromWebhookUrl(job.webhookUrl);
    b24.offClientSideWarning();
    run = (method) => sdkFetchList(b24, job, method, onRows);
  } else {
    const bitrix = Bitrix(job.webhookUrl.replace(/\/$/, ''));
    run = async (method) => {
      // Its list() reads page 1, then every other page by offset in batches, all held in memory.
      const answer = (await bitrix.list(method as never, { select: job.select } as never)) as unknown as {
        result: Row[];
      };
      onRows(answer.result.length);
    };
  }
  await Promise.all(
    job.methods.map((method) =>
      run(method).catch((error: unknown) => {
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
