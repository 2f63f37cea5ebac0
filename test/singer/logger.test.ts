import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { configSecrets, createLogger, webhookCode } from '../../src/cli/logger.js';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, destination };
}

describe('logger', () => {
  it('redacts every secret from messages and fields, also JSON- and URL-encoded', () => {
    const webhook = 'https://portal.example/rest/1/s3cr3tc0de/';
    const secrets = configSecrets({
      webhook_url: webhook,
      oauth: { client_secret: 'client"secret/1', refresh_token: 'refresh-tok-1' },
    });
    assert.deepEqual(secrets, ['s3cr3tc0de', 'client"secret/1', 'refresh-tok-1']);
    const { lines, destination } = capture();
    const logger = createLogger({ secrets, destination });
    logger.info(`calling ${webhook}crm.deal.list`, { url: webhook, token: 'refresh-tok-1' });
    logger.warn('retry', {
      body: `client_secret=${encodeURIComponent('client"secret/1')}`,
      raw: 'client"secret/1',
    });
    const text = lines.join('\n');
    for (const secret of [...secrets, encodeURIComponent('client"secret/1')])
      assert.equal(text.includes(secret), false, secret);
    assert.match(text, /rest\/1\/\[REDACTED\]\/crm\.deal\.list/);
    assert.equal(lines.length, 2);
  });

  it('writes JSON lines with upper-case levels, CRITICAL and METRIC lines', () => {
    const { lines, destination } = capture();
    const logger = createLogger({ level: 'debug', destination });
    logger.debug('d', { a: 1 });
    logger.error('e');
    logger.critical('run failed');
    logger.metric({ type: 'counter', metric: 'record_count', value: 3, tags: { stream: 'deals' } });
    const parsed = lines.map((l) => JSON.parse(l) as { level: string; msg: string; a?: number });
    assert.deepEqual(
      parsed.map((p) => p.level),
      ['DEBUG', 'ERROR', 'CRITICAL', 'INFO'],
    );
    assert.equal(parsed[0]!.a, 1);
    assert.equal(parsed[2]!.msg, 'CRITICAL run failed');
    assert.equal(
      parsed[3]!.msg,
      'METRIC: {"type":"counter","metric":"record_count","value":3,"tags":{"stream":"deals"}}',
    );
  });

  it('extracts the code of a webhook URL', () => {
    assert.equal(webhookCode('http://127.0.0.1:8080/rest/12/abc123xyz/'), 'abc123xyz');
    assert.equal(webhookCode('https://x/other'), undefined);
  });
});
