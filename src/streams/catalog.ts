/**
 * Every stream of the connector, in catalog order. The declarations live in catalog-crm.ts and
 * catalog-other.ts; paging, typing and state are the machinery's (src/streams/machinery).
 */
import { activities, companies, contacts, deals, leads, product } from './catalog-crm.js';
import {
  calls,
  dealCategories,
  dealStageHistory,
  departments,
  entityFields,
  leadStageHistory,
  openLines,
  spaTypes,
  statusList,
  users,
} from './catalog-other.js';
import type { StreamDeclaration } from './declaration.js';
import { dealComments, dealProducts } from './families/deal-children.js';
import { spaFields, spaItems, spaStageHistory } from './families/smart-process.js';
import type { StreamFamily } from './machinery/family.js';

/** Every stream family, in catalog order. */
export const STREAM_FAMILIES: readonly StreamFamily[] = [
  contacts,
  companies,
  deals,
  leads,
  activities,
  product,
  entityFields('contact_fields', 'contacts', 'crm.contact.fields'),
  entityFields('company_fields', 'companies', 'crm.company.fields'),
  entityFields('deal_fields', 'deals', 'crm.deal.fields'),
  entityFields('lead_fields', 'leads', 'crm.lead.fields'),
  entityFields('activity_fields', 'activities', 'crm.activity.fields'),
  entityFields('product_fields', 'products', 'crm.product.fields'),
  statusList,
  dealCategories,
  dealStageHistory,
  leadStageHistory,
  dealComments,
  dealProducts,
  spaTypes,
  spaItems,
  spaFields,
  spaStageHistory,
  users,
  departments,
  calls,
  openLines,
];

/** Every family's declaration, in catalog order: what docs, `--about` and the console read. */
export const STREAM_DECLARATIONS: readonly StreamDeclaration[] = STREAM_FAMILIES.map(
  (family) => family.declaration,
);
