/**
 * Which REST method lists a stream's records. Bitrix24 meters operating time per method, so two
 * streams of one method (deal and lead stage history both read `crm.stagehistory.list`) share a
 * budget, while streams of different methods each spend their own: the engine runs the latter
 * side by side first.
 */
import { STREAM_DECLARATIONS } from '../streams/index.js';

const PATTERNS = STREAM_DECLARATIONS.map((d) => ({
  pattern: new RegExp(`^${d.name.replace(/\{entityTypeId\}/g, '\\d+')}$`),
  method: d.method,
}));

export function listMethodOf(streamName: string): string | undefined {
  return PATTERNS.find((p) => p.pattern.test(streamName))?.method;
}
