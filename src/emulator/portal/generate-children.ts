/** Child collections: stage histories, deal timeline comments, deal product rows, activities. */
import { Collection, type Row } from './collection.js';
import type { PortalCounts } from './counts.js';
import { formatDateTime } from './datetime.js';
import type { Funnel, Stage } from './funnels.js';
import { hash32, RowRandom, streamCode } from './random.js';
import { sampleText } from './text.js';
import { stagePath, stageTimes } from './timeline.js';

export interface OwnerSource {
  /** Stream name whose stagePath the owner rows used. */
  stream: string;
  count: number;
  created: Float64Array;
  modified: Float64Array;
  /** Funnel of owner index i (leads: the single lead funnel). */
  funnel(i: number): Funnel;
}

/**
 * crm.stagehistory rows: TYPE_ID 1 created, 2 moved to an intermediate stage, 3 to a final one.
 * `lead` rows carry STATUS_ID/STATUS_SEMANTIC_ID, the others CATEGORY_ID/STAGE_ID/STAGE_SEMANTIC_ID.
 */
export function buildStageHistory(
  name: string,
  seed: number,
  owners: OwnerSource,
  lead: boolean,
): Collection {
  const stream = streamCode(owners.stream);
  const pathOf = (i: number) =>
    stagePath(seed, stream, i + 1, owners.funnel(i).stages.length, owners.created[i], owners.modified[i]);
  let total = 0;
  for (let i = 0; i < owners.count; i++) total += pathOf(i).length;
  const owner = new Float64Array(total);
  const time = new Float64Array(total);
  const stageIdx = new Uint8Array(total);
  const typeId = new Uint8Array(total);
  let k = 0;
  for (let i = 0; i < owners.count; i++) {
    const stages = owners.funnel(i).stages;
    const path = pathOf(i);
    const times = stageTimes(seed, stream, i + 1, path.length, owners.created[i], owners.modified[i]);
    path.forEach((s, j) => {
      owner[k] = i + 1;
      time[k] = times[j];
      stageIdx[k] = s;
      typeId[k] = j === 0 ? 1 : stages[s].semantic === 'P' ? 2 : 3;
      k++;
    });
  }
  return new Collection({
    name,
    idField: 'ID',
    size: total,
    hot: { OWNER_ID: owner, CREATED_TIME: time },
    timeColumns: ['CREATED_TIME'],
    sortedBy: 'OWNER_ID',
    generate: (i) => {
      const funnel = owners.funnel(owner[i] - 1);
      const stage: Stage = funnel.stages[stageIdx[i]];
      const row: Row = {
        ID: i + 1,
        TYPE_ID: typeId[i],
        OWNER_ID: owner[i],
        CREATED_TIME: formatDateTime(time[i]),
      };
      if (lead) return { ...row, STATUS_SEMANTIC_ID: stage.semantic, STATUS_ID: stage.statusId };
      return { ...row, CATEGORY_ID: funnel.id, STAGE_SEMANTIC_ID: stage.semantic, STAGE_ID: stage.statusId };
    },
  });
}

/** Owner-sorted child rows: `perOwner(i)` children for owner i, deterministic. */
function ownerColumn(n: number, perOwner: (i: number) => number): Float64Array {
  let total = 0;
  for (let i = 0; i < n; i++) total += perOwner(i);
  const owner = new Float64Array(total);
  let k = 0;
  for (let i = 0; i < n; i++) for (let j = perOwner(i); j > 0; j--) owner[k++] = i + 1;
  return owner;
}

export function buildDealComments(seed: number, deals: OwnerSource, users: number): Collection {
  const stream = streamCode('deal_comments');
  const owner = ownerColumn(deals.count, (i) => {
    const h = hash32(seed, stream, i, 1) % 8;
    return h < 5 ? 0 : h < 7 ? 1 : 2;
  });
  const created = new Float64Array(owner.length);
  for (let i = 0; i < owner.length; i++) {
    const d = owner[i] - 1;
    const u = hash32(seed, stream, i, 2) / 4294967296;
    created[i] = Math.floor((deals.created[d] + (deals.modified[d] - deals.created[d]) * u) / 1000) * 1000;
  }
  return new Collection({
    name: 'deal_comments',
    idField: 'ID',
    size: owner.length,
    hot: { ENTITY_ID: owner, CREATED: created },
    timeColumns: ['CREATED'],
    sortedBy: 'ENTITY_ID',
    generate: (i) => {
      const r = new RowRandom(seed, stream, i + 1);
      const author = r.int(1, users);
      const row: Row = {
        ID: String(i + 1),
        ENTITY_ID: String(owner[i]),
        ENTITY_TYPE: 'deal',
        CREATED: formatDateTime(created[i]),
        COMMENT: sampleText(r) || 'Kommentar zur Übergabe ✅',
        AUTHOR_ID: String(author),
      };
      // Without attachments FILES is PHP's empty array, serialised as [].
      row.FILES = [];
      if (r.chance(0.3)) {
        const files: Record<string, unknown> = {};
        for (let f = r.int(1, 2); f > 0; f--) {
          const fid = (i + 1) * 3 + f;
          files[String(fid)] = {
            id: fid,
            date: row.CREATED,
            type: 'image',
            name: `scan_${fid}.png`,
            size: r.int(100, 900000),
            image: { width: 640, height: 480 },
            authorId: author,
            authorName: `User ${author}`,
            urlPreview: `https://portal.example/disk/showFile/${fid}/?&ncc=1&width=640&height=640`,
            urlShow: `https://portal.example/disk/showFile/${fid}/?&ncc=1`,
            urlDownload: `https://portal.example/disk/downloadFile/${fid}/?&ncc=1`,
          };
        }
        row.FILES = files;
      }
      return row;
    },
  });
}

export interface ActivityInput {
  seed: number;
  now: number;
  counts: PortalCounts;
  created: Float64Array;
  modified: Float64Array;
}

const OWNER_TYPES = [2, 3, 1, 4];

export function buildActivities(a: ActivityInput): Collection {
  const stream = streamCode('activity');
  const n = a.counts.activities;
  const ownerType = new Float64Array(n);
  const ownerId = new Float64Array(n);
  const limits: Record<number, number> = {
    1: a.counts.leads,
    2: a.counts.deals,
    3: a.counts.contacts,
    4: a.counts.companies,
  };
  for (let i = 0; i < n; i++) {
    const h = hash32(a.seed, stream, i, 1);
    ownerType[i] = OWNER_TYPES[h % 4];
    ownerId[i] = 1 + ((h >>> 3) % limits[ownerType[i]]);
  }
  return new Collection({
    name: 'activity',
    idField: 'ID',
    size: n,
    hot: { OWNER_ID: ownerId, OWNER_TYPE_ID: ownerType, CREATED: a.created, LAST_UPDATED: a.modified },
    timeColumns: ['CREATED', 'LAST_UPDATED'],
    generate: (i) => activityRow(a, i, ownerId[i], ownerType[i]),
  });
}

function activityRow(a: ActivityInput, i: number, ownerId: number, ownerType: number): Row {
  const r = new RowRandom(a.seed, streamCode('activity'), i + 1);
  const typeId = r.pick([1, 2, 2, 3, 4, 6]);
  const start = a.created[i] + r.int(0, 14) * 86400000;
  const completed = r.chance(0.7);
  const user = String(r.int(1, a.counts.users));
  const provider =
    typeId === 2
      ? ['VOXIMPLANT_CALL', 'CALL']
      : typeId === 4
        ? ['CRM_EMAIL', 'EMAIL']
        : typeId === 1
          ? ['CRM_MEETING', 'MEETING']
          : ['CRM_TODO', 'TODO'];
  return {
    ID: String(i + 1),
    OWNER_ID: String(ownerId),
    OWNER_TYPE_ID: String(ownerType),
    TYPE_ID: String(typeId),
    PROVIDER_ID: provider[0],
    PROVIDER_TYPE_ID: provider[1],
    PROVIDER_GROUP_ID: null,
    ASSOCIATED_ENTITY_ID: String(typeId === 2 ? r.int(1, 1000) : 0),
    SUBJECT: `${r.pick(['Call', 'Звонок', 'Besprechung', '会议', 'E-mail ✉️'])} #${i + 1}`,
    CREATED: formatDateTime(a.created[i]),
    LAST_UPDATED: formatDateTime(a.modified[i]),
    START_TIME: formatDateTime(start),
    END_TIME: formatDateTime(start + 3600000),
    DEADLINE: formatDateTime(start),
    COMPLETED: completed ? 'Y' : 'N',
    STATUS: completed ? '2' : '1',
    RESPONSIBLE_ID: user,
    PRIORITY: String(r.int(1, 3)),
    NOTIFY_TYPE: String(r.int(0, 3)),
    NOTIFY_VALUE: String(r.pick([0, 15, 30])),
    DESCRIPTION: sampleText(r),
    DESCRIPTION_TYPE: String(r.int(1, 3)),
    DIRECTION: String(r.int(1, 2)),
    LOCATION: '',
    SETTINGS: [],
    ORIGINATOR_ID: null,
    ORIGIN_ID: null,
    AUTHOR_ID: user,
    EDITOR_ID: user,
    PROVIDER_PARAMS: [],
    PROVIDER_DATA: null,
    RESULT_MARK: '0',
    RESULT_VALUE: null,
    RESULT_SUM: null,
    RESULT_CURRENCY_ID: null,
    RESULT_STATUS: '0',
    RESULT_STREAM: '0',
    RESULT_SOURCE_ID: null,
    AUTOCOMPLETE_RULE: '0',
    IS_INCOMING_CHANNEL: 'N',
    COMMUNICATIONS: [
      {
        ID: String(i + 1),
        TYPE: 'PHONE',
        VALUE: `+49${1000000 + i}`,
        ENTITY_ID: String(ownerId),
        ENTITY_TYPE_ID: String(ownerType),
      },
    ],
    FILES: r.chance(0.2)
      ? [
          {
            id: 3100000 + i,
            // Like the official example: the link names the activity (owner type 6) it belongs to.
            url: `https://portal.example/bitrix/tools/crm_show_file.php?fileId=${3100000 + i}&ownerTypeId=6&ownerId=${i + 1}&auth=`,
          },
        ]
      : [],
  };
}
