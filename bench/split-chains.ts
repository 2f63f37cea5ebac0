/**
 * Prototype (bench only, not the connector): chained keyset paging with the ID range of each
 * list split between `chains` concurrent batches, so the portal processes several chains of one
 * method at once while its operating budget still has room. Uses our client's `batch`, so the
 * request bucket and operating-time guard still apply. Each chain is sized to the IDs left in its
 * range, so few commands run past the end of the data.
 */
import { Bitrix24Client } from '../src/client/index.js';

const PAGE = 50;
const CHAIN = 50;

type Row = Record<string, unknown>;

async function maxId(client: Bitrix24Client, method: string): Promise<number> {
  const answer = await client.call<Row[]>(method, { order: { ID: 'DESC' }, select: ['ID'], start: -1 });
  return Number(answer.result[0]?.ID ?? 0);
}

async function readRange(
  client: Bitrix24Client,
  method: string,
  select: string[],
  lo: number,
  hi: number,
  onRows: (n: number) => void,
): Promise<void> {
  let last = lo;
  for (;;) {
    const length = Math.max(1, Math.min(CHAIN, Math.ceil((hi - last) / PAGE)));
    const commands: Record<string, { method: string; params: Record<string, unknown> }> = {};
    for (let i = 0; i < length; i++) {
      commands[`p${i}`] = {
        method,
        params: {
          select,
          order: { ID: 'ASC' },
          start: -1,
          filter: { '>ID': i === 0 ? last : `$result[p${i - 1}][${PAGE - 1}][ID]`, '<=ID': hi },
        },
      };
    }
    const answer = await client.batch(commands);
    for (let i = 0; i < length; i++) {
      const rows = answer.result[`p${i}`];
      if (!Array.isArray(rows)) throw new Error(`${method}: ${answer.errors[`p${i}`]?.message ?? 'no rows'}`);
      onRows(rows.length);
      if (rows.length < PAGE) return;
      last = Number((rows[rows.length - 1] as Row).ID);
    }
  }
}

export async function splitChainExport(options: {
  webhookUrl: string;
  methods: string[];
  select: string[];
  chains: number;
  onRows: (n: number) => void;
}): Promise<void> {
  const client = new Bitrix24Client({ webhookUrl: options.webhookUrl, plan: 'standard' });
  try {
    await Promise.all(
      options.methods.map(async (method) => {
        const top = await maxId(client, method);
        const step = Math.ceil(top / options.chains);
        await Promise.all(
          Array.from({ length: options.chains }, (_, k) =>
            readRange(
              client,
              method,
              options.select,
              k * step,
              Math.min(top, (k + 1) * step),
              options.onRows,
            ),
          ),
        );
      }),
    );
  } finally {
    await client.close();
  }
}
