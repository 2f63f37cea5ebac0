/**
 * The declared default selection of a stream known only by its name (one whose discovery call
 * failed, so there is no `Stream` to ask): read from the declaration the name matches.
 */
import { STREAM_DECLARATIONS } from './reference.js';

const patterns = STREAM_DECLARATIONS.map((d) => ({
  // Per-object streams are declared with a template, e.g. `spa_fields_{entityTypeId}`.
  name: new RegExp(`^${d.name.replace('{entityTypeId}', '\\d+')}$`),
  selectedByDefault: d.selectedByDefault !== false,
}));

export function isNameSelectedByDefault(name: string): boolean {
  return patterns.find((p) => p.name.test(name))?.selectedByDefault ?? true;
}
