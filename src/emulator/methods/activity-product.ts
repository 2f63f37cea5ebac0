/** crm.activity.{list,fields,get} and crm.product.{list,fields,get}: read-only legacy lists without UF. */
import type { Collection } from '../portal/collection.js';
import { productFields } from '../portal/descriptors/extra-fields.js';
import { type StdField, stdDescriptor } from '../portal/descriptors/std-field.js';
import { activityFields } from '../portal/descriptors/std-fields.js';
import type { Portal } from '../portal/portal.js';
import { SINGLE_CALL_SECONDS } from '../query/cost.js';
import type { MethodDefinition } from './contract.js';
import { legacyProjection, project } from './legacy-select.js';
import { listOutcome } from './list-method.js';
import { idParam, legacyError, legacyFilter, orderParam, selectParam, startParam } from './params.js';

function readOnlyLegacy(base: string, col: Collection, std: StdField[]): MethodDefinition[] {
  const scopes = ['crm'];
  const fields = Object.fromEntries(std.map((f) => [f[0], stdDescriptor(f)]));
  return [
    {
      name: `${base}.list`,
      scopes,
      handle: (params) => {
        const projection = legacyProjection(selectParam(params), std, []);
        return listOutcome({
          col,
          filter: legacyFilter(params),
          order: orderParam(params, true),
          start: startParam(params),
          shape: (r) => project(r, projection),
        });
      },
    },
    { name: `${base}.fields`, scopes, handle: () => ({ result: fields, cost: SINGLE_CALL_SECONDS }) },
    {
      name: `${base}.get`,
      scopes,
      handle: (params) => {
        const id = idParam(params);
        if (!id) throw legacyError('ID is not defined or invalid.');
        const row = col.row(id);
        if (!row) throw legacyError('Not found');
        return { result: row, cost: SINGLE_CALL_SECONDS };
      },
    },
  ];
}

export function activityAndProductMethods(portal: Portal): MethodDefinition[] {
  return [
    ...readOnlyLegacy('crm.activity', portal.activities, activityFields),
    ...readOnlyLegacy('crm.product', portal.products, productFields),
  ];
}
