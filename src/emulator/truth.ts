/**
 * `GET /_emulator/truth`: every list's row IDs as the portal holds them now, split into the ones
 * this credential can see and the ones the `short-pages` access filter hides, so a test can
 * compare a warehouse with the portal. Keyed by list method, plus `:entityTypeId` for
 * crm.item.list and crm.stagehistory.list. user.get lists every user, active or not (as
 * ADMIN_MODE reads them). `count` is every row the portal holds: what a counted list's `total`
 * says for an unfiltered read.
 */
import type { Collection, Row } from './portal/collection.js';
import type { Portal } from './portal/portal.js';
import type { AccessFilter } from './short-pages.js';

export interface ListTruth {
  count: number;
  visible: number[];
  hidden: number[];
  hidden_count: number;
}

export type Truth = Record<string, ListTruth>;

function collectionIds(col: Collection): number[] {
  const ids: number[] = [];
  for (let id = 1; id <= col.maxId; id++) if (col.exists(id)) ids.push(id);
  return ids;
}

function rowIds(rows: readonly Row[], field: string): number[] {
  return rows.map((r) => Number(r[field])).sort((a, b) => a - b);
}

export function portalTruth(portal: Portal, access: AccessFilter | undefined): Truth {
  const lists: [string, string, number[]][] = [
    ['crm.deal.list', 'crm.deal.list', collectionIds(portal.crm.deal)],
    ['crm.contact.list', 'crm.contact.list', collectionIds(portal.crm.contact)],
    ['crm.company.list', 'crm.company.list', collectionIds(portal.crm.company)],
    ['crm.lead.list', 'crm.lead.list', collectionIds(portal.crm.lead)],
    ['crm.activity.list', 'crm.activity.list', collectionIds(portal.activities)],
    ['crm.product.list', 'crm.product.list', collectionIds(portal.products)],
    ['crm.timeline.comment.list', 'crm.timeline.comment.list', collectionIds(portal.dealComments)],
    ['crm.stagehistory.list:2', 'crm.stagehistory.list', collectionIds(portal.dealHistory)],
    ['crm.stagehistory.list:1', 'crm.stagehistory.list', collectionIds(portal.leadHistory)],
    ['user.get', 'user.get', collectionIds(portal.users)],
    ['voximplant.statistic.get', 'voximplant.statistic.get', collectionIds(portal.calls)],
    ['department.get', 'department.get', rowIds(portal.departments, 'ID')],
    ['imopenlines.config.list.get', 'imopenlines.config.list.get', rowIds(portal.openLines, 'ID')],
    ['crm.type.list', 'crm.type.list', portal.spaTypes.map((t) => t.id).sort((a, b) => a - b)],
  ];
  for (const spa of portal.spa) {
    const type = spa.type.entityTypeId;
    lists.push([`crm.item.list:${type}`, 'crm.item.list', collectionIds(spa.items)]);
    const history = portal.spaHistory.get(type);
    if (history)
      lists.push([`crm.stagehistory.list:${type}`, 'crm.stagehistory.list', collectionIds(history)]);
  }
  const truth: Truth = {};
  for (const [key, method, ids] of lists) {
    const visible: number[] = [];
    const hidden: number[] = [];
    for (const id of ids) (access?.hidden(method, id) ? hidden : visible).push(id);
    truth[key] = { count: ids.length, visible, hidden, hidden_count: hidden.length };
  }
  return truth;
}
