/**
 * A tiny method table for the HTTP side's tests, standing in for the portal side so that auth,
 * limits, batch and faults are tested on their own. Deals are IDs 1..count; the list pages by 50
 * with `start`, `filter[>ID]` and `start=-1` like crm.deal.list.
 */
import { type MethodDefinition, MethodError, type Params } from '../../src/emulator/methods/contract.js';

export interface FakeOptions {
  deals?: number;
  /** Emulated seconds each data call costs. */
  cost?: number;
}

export interface FakeTable {
  methods: Map<string, MethodDefinition>;
  /** Writes made through crm.deal.add, to see whether a write ran. */
  writes: Params[];
}

function pick(params: Params, name: string): Params[string] | undefined {
  return params[name] ?? params[name.toUpperCase()];
}

export function fakeMethods(options: FakeOptions = {}): FakeTable {
  const count = options.deals ?? 120;
  const cost = options.cost ?? 0.01;
  const deals = Array.from({ length: count }, (_, i) => ({
    ID: String(i + 1),
    TITLE: `Deal #${i + 1}`,
    STAGE_ID: i % 2 === 0 ? 'NEW' : 'WON',
  }));
  const writes: Params[] = [];
  const table: MethodDefinition[] = [
    {
      name: 'crm.deal.list',
      scopes: ['crm'],
      handle(params) {
        const filter = pick(params, 'filter');
        const f = filter && typeof filter === 'object' && !Array.isArray(filter) ? filter : {};
        const minId = Number(f['>ID'] ?? 0);
        const stage = f.STAGE_ID;
        let rows = deals.filter((d) => Number(d.ID) > minId && (stage === undefined || d.STAGE_ID === stage));
        const select = pick(params, 'select');
        if (Array.isArray(select) && select.length > 0) {
          const keys = select.map(String);
          rows = rows.map((d) =>
            Object.fromEntries(Object.entries(d).filter(([k]) => keys.includes(k))),
          ) as typeof rows;
        }
        const start = Number(pick(params, 'start') ?? 0);
        if (start === -1) return { result: rows.slice(0, 50), total: 0, cost };
        const page = rows.slice(start, start + 50);
        const next = start + 50 < rows.length ? start + 50 : undefined;
        return { result: page, total: rows.length, next, cost };
      },
    },
    {
      name: 'crm.deal.get',
      scopes: ['crm'],
      handle(params) {
        const deal = deals.find((d) => d.ID === String(pick(params, 'id')));
        if (!deal) throw new MethodError('', 'Not found', 400);
        return { result: deal, cost };
      },
    },
    {
      name: 'crm.deal.add',
      scopes: ['crm'],
      write: true,
      handle(params) {
        writes.push(params);
        return { result: count + writes.length, cost };
      },
    },
    {
      name: 'user.get',
      scopes: ['user', 'user_brief', 'user_basic'],
      handle: () => ({ result: [{ ID: '1', NAME: 'John', UF_DEPARTMENT: [1] }], total: 1, cost }),
    },
    {
      name: 'department.get',
      scopes: ['department'],
      handle: (params) => ({
        result: [{ ID: String(pick(params, 'ID') ?? ''), NAME: 'DEMO' }],
        total: 1,
        cost,
      }),
    },
    {
      name: 'echo.params',
      scopes: ['crm'],
      handle: (params) => ({ result: params, cost }),
    },
  ];
  return { methods: new Map(table.map((m) => [m.name, m])), writes };
}
