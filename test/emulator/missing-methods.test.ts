/** `missingMethods`: a portal without a method answers as Bitrix does for any unknown method. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';

describe('emulator missingMethods', () => {
  let emulator: RunningEmulator;
  before(async () => {
    emulator = await startEmulator({ seed: 2, scale: 5, missingMethods: ['User.Fields'] });
  });
  after(() => emulator.close());

  const post = (method: string, body: unknown) =>
    fetch(`${emulator.webhookUrl}${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('answers HTTP 404 ERROR_METHOD_NOT_FOUND "Method not found!" for the missing method only', async () => {
    const missing = await post('user.fields', {});
    assert.equal(missing.status, 404);
    assert.deepEqual(await missing.json(), {
      error: 'ERROR_METHOD_NOT_FOUND',
      error_description: 'Method not found!',
    });
    const present = await post('department.fields', {});
    assert.equal(present.status, 200);
  });

  it('inside batch the command fails the same way and the others run', async () => {
    const answer = await post('batch', { halt: 0, cmd: { a: 'user.fields', b: 'crm.deal.fields' } });
    assert.equal(answer.status, 200);
    const body = (await answer.json()) as {
      result: { result: Record<string, unknown>; result_error: Record<string, { error: string }> };
    };
    assert.equal(body.result.result_error.a?.error, 'ERROR_METHOD_NOT_FOUND');
    assert.ok(body.result.result.b, 'crm.deal.fields answered');
  });
});
