/**
 * Child-process script for sdk.test.ts: lists every deal through the official JS SDK's fast list
 * (keyset paging) and prints their IDs as one JSON array. Run with NODE_EXTRA_CA_CERTS set to the
 * emulator's certificate, since the SDK only accepts HTTPS webhooks.
 */
import { B24Hook } from '@bitrix24/b24jssdk';

const webhookUrl = process.argv[2];
if (!webhookUrl) throw new Error('usage: server-sdk-list-deals.ts WEBHOOK_URL');
const b24 = B24Hook.fromWebhookUrl(webhookUrl);
b24.offClientSideWarning();
const ids: string[] = [];
for await (const page of b24.actions.v2.fetchList.make<{ ID: string }>({
  method: 'crm.deal.list',
  params: { select: ['ID'] },
  idKey: 'ID',
})) {
  for (const deal of page) ids.push(deal.ID);
}
process.stdout.write(`${JSON.stringify(ids)}\n`);
