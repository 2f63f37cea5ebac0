import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { MessageWriter, type SingerMessage } from '../../src/singer/messages.js';

const record = (i: number): SingerMessage => ({
  type: 'RECORD',
  stream: 'deals',
  record: { ID: String(i) },
  time_extracted: '2026-01-01T00:00:00.000Z',
});

describe('MessageWriter', () => {
  it('waits for drain when the pipe is full and keeps lines whole and in order', async () => {
    const chunks: string[] = [];
    let drains = 0;
    const slow = new Writable({
      highWaterMark: 64,
      write(chunk, _enc, done) {
        chunks.push(String(chunk));
        setImmediate(done);
      },
    });
    slow.on('drain', () => drains++);
    const writer = new MessageWriter(slow);
    // Two concurrent producers, as with streams running side by side.
    await Promise.all([
      (async () => {
        for (let i = 0; i < 50; i++) await writer.write(record(i));
      })(),
      (async () => {
        for (let i = 100; i < 150; i++) await writer.write(record(i));
      })(),
    ]);
    await writer.flush();
    const lines = chunks.join('').split('\n').filter(Boolean);
    assert.equal(lines.length, 100);
    const ids = lines.map((l) => (JSON.parse(l) as { record: { ID: string } }).record.ID);
    assert.deepEqual(
      ids.filter((id) => Number(id) < 100),
      Array.from({ length: 50 }, (_, i) => String(i)),
    );
    assert.ok(drains > 10, `expected backpressure to bind, saw ${drains} drains`);
    assert.ok(slow.writableLength === 0);
  });

  it('stops quietly when the reader closes the pipe early (EPIPE)', async () => {
    const script = fileURLToPath(new URL('./fixtures/write-many-records.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script, '200000'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const [first] = (await once(child.stdout, 'data')) as [Buffer];
    assert.match(String(first), /^\{"type":"RECORD"/);
    child.stdout.destroy();
    const [code] = (await once(child, 'exit')) as [number];
    assert.equal(code, 0, stderr);
    const report = JSON.parse(stderr.trim().split('\n').at(-1)!) as { closedSeen: boolean; written: number };
    assert.equal(report.closedSeen, true);
    assert.ok(report.written < 200000, 'the writer stopped writing after the pipe closed');
  });
});
