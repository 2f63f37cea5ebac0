/** The portal side of the emulator: generated data and every data method, keyed by lower-case name. */
import type { Portal } from '../portal/portal.js';
import { activityAndProductMethods } from './activity-product.js';
import type { MethodDefinition } from './contract.js';
import { crmChildMethods } from './crm-children.js';
import { crmDictionaryMethods } from './crm-dictionaries.js';
import { crmItemMethods } from './crm-item.js';
import { directoryMethods } from './directory.js';
import { LEGACY_ENTITIES, legacyCrmMethods } from './legacy-crm.js';
import { openLineMethods } from './open-lines.js';

export { generatePortal, type Portal } from '../portal/portal.js';
export { portalSummary } from './summary.js';

export function buildMethodTable(portal: Portal): Map<string, MethodDefinition> {
  const all = [
    ...LEGACY_ENTITIES.flatMap((e) => legacyCrmMethods(portal, e)),
    ...activityAndProductMethods(portal),
    ...crmItemMethods(portal),
    ...crmChildMethods(portal),
    ...crmDictionaryMethods(portal),
    ...directoryMethods(portal),
    ...openLineMethods(portal),
  ];
  return new Map(all.map((m) => [m.name.toLowerCase(), m]));
}
