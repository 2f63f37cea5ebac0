/**
 * Typed writes for apps built on the client: a lead from a sign-up, a deal from an order,
 * updates, deletes, and finding contacts by phone through `crm.duplicate.findbycomm`, which
 * matches normalised numbers (a `PHONE` list filter matches only exact stored strings).
 * Writes are never blindly retried: a lost answer may mean the record exists.
 */
import type { BitrixParams, CallResponse } from './options.js';

/** What the write helpers need of a client (Bitrix24Client has both): writes, and one read. */
export interface PortalWriter {
  write<T = unknown>(method: string, params?: BitrixParams): Promise<CallResponse<T>>;
  call<T = unknown>(method: string, params?: BitrixParams, signal?: AbortSignal): Promise<CallResponse<T>>;
}

export type CrmEntity = 'lead' | 'deal' | 'contact' | 'company';

export interface MultiField {
  VALUE: string;
  VALUE_TYPE?: string;
}

export interface LeadFields {
  TITLE: string;
  NAME?: string;
  LAST_NAME?: string;
  PHONE?: MultiField[];
  EMAIL?: MultiField[];
  SOURCE_ID?: string;
  COMMENTS?: string;
  [field: string]: unknown;
}

export interface DealFields {
  TITLE: string;
  OPPORTUNITY?: number;
  CURRENCY_ID?: string;
  CONTACT_ID?: number;
  COMPANY_ID?: number;
  CATEGORY_ID?: number;
  STAGE_ID?: string;
  [field: string]: unknown;
}

export interface WriteOptions {
  /** `REGISTER_SONET_EVENT`: notify the responsible user in the feed ('Y'/'N'). */
  registerEvent?: 'Y' | 'N';
}

function idOf(result: unknown): number {
  const id = typeof result === 'number' ? result : Number(result);
  if (!Number.isFinite(id)) throw new TypeError(`expected a record id, got ${JSON.stringify(result)}`);
  return id;
}

async function add(
  client: PortalWriter,
  entity: CrmEntity,
  fields: object,
  options: WriteOptions,
): Promise<number> {
  const params = options.registerEvent ? { REGISTER_SONET_EVENT: options.registerEvent } : undefined;
  const answer = await client.write(`crm.${entity}.add`, params ? { fields, params } : { fields });
  return idOf(answer.result);
}

/** Creates a lead (e.g. from a sign-up form); resolves with its ID. */
export function createLead(
  client: PortalWriter,
  fields: LeadFields,
  options: WriteOptions = {},
): Promise<number> {
  return add(client, 'lead', fields, options);
}

/** Creates a deal (e.g. from an order); resolves with its ID. */
export function createDeal(
  client: PortalWriter,
  fields: DealFields,
  options: WriteOptions = {},
): Promise<number> {
  return add(client, 'deal', fields, options);
}

export async function updateEntity(
  client: PortalWriter,
  entity: CrmEntity,
  id: number,
  fields: Record<string, unknown>,
): Promise<boolean> {
  const answer = await client.write(`crm.${entity}.update`, { id, fields });
  return answer.result === true;
}

export async function deleteEntity(client: PortalWriter, entity: CrmEntity, id: number): Promise<boolean> {
  const answer = await client.write(`crm.${entity}.delete`, { id });
  return answer.result === true;
}

/** IDs of contacts having this phone number, as Bitrix normalises numbers. */
export async function findContactsByPhone(client: PortalWriter, phone: string): Promise<number[]> {
  const answer = await client.call<unknown>('crm.duplicate.findbycomm', {
    entity_type: 'CONTACT',
    type: 'PHONE',
    values: [phone],
  });
  const result = answer.result;
  if (result === null || typeof result !== 'object' || Array.isArray(result)) return [];
  const ids = (result as Record<string, unknown>).CONTACT;
  return Array.isArray(ids) ? ids.map(Number).filter(Number.isFinite) : [];
}
