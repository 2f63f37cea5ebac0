/** Live row counts per collection, keyed by the connector's stream names. */
import { productFields } from '../portal/descriptors/extra-fields.js';
import { activityFields } from '../portal/descriptors/std-fields.js';
import type { Portal } from '../portal/portal.js';
import { itemFields } from './crm-item.js';
import { legacyFieldsResult } from './legacy-crm.js';

export function portalSummary(portal: Portal): Record<string, number> {
  const c = portal.crm;
  const out: Record<string, number> = {
    contacts: c.contact.count,
    companies: c.company.count,
    deals: c.deal.count,
    leads: c.lead.count,
    activities: portal.activities.count,
    product: portal.products.count,
    status_list: portal.statuses.length,
    deal_categories: portal.dealFunnels.length,
    deal_stage_history: portal.dealHistory.count,
    lead_stage_history: portal.leadHistory.count,
    deal_comments: portal.dealComments.count,
    deal_products: portal.dealProducts.count,
    spa_types: portal.spaTypes.length,
    users: portal.users.count,
    departments: portal.departments.length,
    calls: portal.calls.count,
    open_lines: portal.openLines.length,
    contact_fields: Object.keys(legacyFieldsResult(portal, 'contact')).length,
    company_fields: Object.keys(legacyFieldsResult(portal, 'company')).length,
    deal_fields: Object.keys(legacyFieldsResult(portal, 'deal')).length,
    lead_fields: Object.keys(legacyFieldsResult(portal, 'lead')).length,
    activity_fields: activityFields.length,
    product_fields: productFields.length,
  };
  for (const s of portal.spa) {
    const t = s.type.entityTypeId;
    out[`spa_${t}`] = s.items.count;
    out[`spa_stage_history_${t}`] = portal.spaHistory.get(t)?.count ?? 0;
    out[`spa_fields_${t}`] = Object.keys(itemFields(s, false)).length;
  }
  return out;
}
