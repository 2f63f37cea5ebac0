/**
 * Ours against other clients on one portal size: deals + contacts + companies + leads with all
 * fields, standard plan, each client on a fresh emulated portal (bench/lib/experiments.ts peerRuns).
 * Prints one line per client and a JSON line; `npm run bench` runs the same at its fixed sizes.
 *
 *   npx tsx bench/peers.ts --scale 50000 --time-scale 10 [--peers 2bad,b24jssdk,offset]
 */
import { parseArgs } from 'node:util';
import { ALL_PEERS, peerRuns } from './lib/experiments.js';
import type { PeerName } from './lib/peer-child.js';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '10000' },
    'time-scale': { type: 'string', default: '5' },
    peers: { type: 'string', default: ALL_PEERS.join(',') },
  },
});
const peers = values.peers.split(',').filter(Boolean) as PeerName[];
const unknown = peers.filter((p) => !(ALL_PEERS as readonly string[]).includes(p));
if (unknown.length > 0)
  throw new Error(`--peers: unknown ${unknown.join(', ')}; known: ${ALL_PEERS.join(', ')}`);

const scale = Number(values.scale);
const timeScale = Number(values['time-scale']);
const { runs, floor } = await peerRuns(scale, timeScale, 'standard', peers);
const round = (n: number) => Math.round(n * 10) / 10;
const rows = runs.map((r) => ({
  client: r.peer,
  rows: r.m.report.rows,
  requests: r.requests,
  operating_s: round(r.operatingSeconds),
  wall_portal_s: round(r.m.portalSeconds),
  rows_per_s: Math.round(r.rowsPerSecond),
  peak_rss_mb: r.m.report.peakRssMb,
  errors: (r.m.report.errors as string[] | undefined)?.length ?? 0,
}));
for (const r of rows) console.error(JSON.stringify(r));
const ours = runs[0];
const complete = runs.filter((r) => r.peer !== 'ours' && r.m.report.rows === ours.m.report.rows);
const best = complete.sort((a, b) => a.m.portalSeconds - b.m.portalSeconds)[0];
console.log(
  JSON.stringify({
    scale,
    time_scale: timeScale,
    floor_s: round(floor.floorSeconds),
    best_peer: best?.peer ?? null,
    speedup_vs_best_peer: best ? round(best.m.portalSeconds / ours.m.portalSeconds) : null,
    runs: rows,
  }),
);
