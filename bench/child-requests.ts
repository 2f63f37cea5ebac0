/**
 * Requests of the per-deal child streams against one request per deal per stream, alone.
 *   npx tsx bench/child-requests.ts [scale]
 */
import { childReduction } from './lib/experiments.js';

const scale = Number(process.argv[2] ?? '1000');
process.stdout.write(`${JSON.stringify({ scale, ...(await childReduction(scale)) })}\n`);
