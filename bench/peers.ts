/**
 * Ours against other clients on one portal size: deals + contacts + companies + leads with all
 * fields, standard plan, each client on a fresh emulated portal (bench/lib/experiments.ts peerRuns).
 * Prints one line per client and a JSON line; `npm run bench` runs the same at its fixed sizes.
 *
 *   npx tsx bench/peers.ts --scale 50000 --time-scale 10 [--peers 2bad,b24jssdk,offset] [--variant literal-refs] [--peer-fields same|masks]
 */
import { parseArgs } from 'node:util';
import { ALL_PEERS, peerRuns } from './lib/experiments.js';
import { operatingRatio, wastedCommands } from './lib/floor.js';
import type { PeerName } from './lib/peer-child.js';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '10000' },
    'time-scale': { type: 'string', default: '5' },
    peers: { type: 'string', default: ALL_PEERS.join(',') },
    variant: { type: 'string', default: '' },
    'peer-fields': { type: 'string', default: 'same' },
  },
});
const peers = values.peers.split(',').filter(Boolean) as PeerName[];
const unknown = peers.filter((p) => !(ALL_PEERS as readonly string[]).includes(p));
if (unknown.length > 0)
  throw new Error(`--peers: unknown ${unknown.join(', ')}; known: ${ALL_PEERS.join(', ')}`);

const peerFields = values['peer-fields'];
if (peerFields !== 'same' && peerFields !== 'masks')
  throw new Error(
    `--peer-fields: "${peerFields}"; use same (peers read every field we read) or masks (* and UF_* only)`,
  );
const scale = Number(values.scale);
const timeScale = Number(values['time-scale']);
const { runs, floor } = await peerRuns(
  scale,
  timeScale,
  'standard',
  peers,
  values.variant || undefined,
  peerFields,
);
const round = (n: number) => Math.round(n * 10) / 10;
const ratio = (r: (typeof runs)[number]) =>
  Math.round(operatingRatio(r.m.reads, r.m.stats.operating_seconds) * 1000) / 1000;
const rows = runs.map((r) => ({
  client: r.peer,
  rows: r.m.report.rows,
  requests: r.requests,
  operating_s: round(r.operatingSeconds),
  operating_ratio: ratio(r),
  wasted_commands: wastedCommands(r.m.reads),
  commands: r.m.reads.reduce((n, m) => n + m.calls, 0),
  wall_portal_s: round(r.m.portalSeconds),
  rows_per_s: Math.round(r.rowsPerSecond),
  peak_rss_mb: r.m.report.peakRssMb,
  errors: (r.m.report.errors as string[] | undefined)?.length ?? 0,
}));
for (const r of rows) console.error(JSON.stringify(r));
// A stream of ours that did not finish, with its error: the run's numbers are then not a full read.
const failed = ((runs[0].m.report.streams as { status: string }[] | undefined) ?? []).filter(
  (s) => s.status !== 'ok',
);
if (failed.length > 0) console.error(JSON.stringify({ client: 'ours', failed }));
// Where each client's operating seconds went, method by method, against the floor's.
for (const r of runs)
  console.error(
    JSON.stringify({
      client: r.peer,
      methods: r.m.reads.map((m) => ({
        method: m.method,
        calls: m.calls,
        rows: m.rows,
        fields: m.fields,
        empty: m.emptyCalls,
        operating_s: round(m.costSeconds),
        floor_s: round(floor.methods.find((f) => f.method === m.method)?.operatingSeconds ?? 0),
      })),
    }),
  );
const ours = runs[0];
const complete = runs.filter((r) => r.peer !== 'ours' && r.m.report.rows === ours.m.report.rows);
const best = complete.sort((a, b) => a.m.portalSeconds - b.m.portalSeconds)[0];
console.log(
  JSON.stringify({
    scale,
    time_scale: timeScale,
    variant: values.variant || null,
    peer_fields: peerFields,
    floor_operating_s: round(floor.methods.reduce((s, m) => s + m.operatingSeconds, 0)),
    floor_s: round(floor.floorSeconds),
    best_peer: best?.peer ?? null,
    speedup_vs_best_peer: best ? round(best.m.portalSeconds / ours.m.portalSeconds) : null,
    runs: rows,
  }),
);
