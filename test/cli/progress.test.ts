import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { createProgressReporter } from '../../src/cli/progress.js';
import { formatSummaryTable } from '../../src/sync/summary.js';

describe('progress and summary output', () => {
  it('off a terminal, prints a line per finished stream and periodic lines for running ones', async () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (d) => {
      text += d;
    });
    const reporter = createProgressReporter({
      out: out as unknown as NodeJS.WriteStream,
      intervalSeconds: 0.05,
    });
    reporter.onProgress({ stream: 'deals', rows: 500, requests: 2, limitWaitMs: 1500, phase: 'running' });
    await new Promise((r) => setTimeout(r, 120));
    reporter.onProgress({ stream: 'deals', rows: 900, requests: 3, limitWaitMs: 1500, phase: 'done' });
    reporter.onProgress({
      stream: 'leads',
      rows: 0,
      requests: 1,
      limitWaitMs: 0,
      phase: 'failed',
      error: 'AuthError: no',
    });
    reporter.stop();
    const lines = text.trim().split('\n');
    assert.deepEqual(lines, [
      'deals: running, 500 rows, 2 requests, 1.5s limit wait',
      'deals: done, 900 rows, 3 requests, 1.5s limit wait',
      'leads: failed, 0 rows, 1 requests, 0.0s limit wait (AuthError: no)',
    ]);
  });

  it('formats the summary table with totals and failure reasons', () => {
    const table = formatSummaryTable({
      seconds: 12.34,
      requests: 40,
      ok: false,
      streams: [
        { stream: 'deals', rows: 1200, requests: 30, seconds: 10.01, rowsMarkedDeleted: 2, status: 'ok' },
        {
          stream: 'calls',
          rows: 0,
          requests: 10,
          seconds: 0.5,
          rowsMarkedDeleted: 0,
          status: 'failed',
          error: 'ScopeError: telephony',
        },
      ],
    });
    const lines = table.split('\n');
    assert.match(lines[0]!, /^stream\s+rows\s+requests\s+seconds\s+status$/);
    assert.match(lines[2]!, /^deals\s+1200\s+30\s+10\.0\s+ok \(2 marked deleted\)$/);
    assert.match(lines[3]!, /^calls\s+0\s+10\s+0\.5\s+failed$/);
    assert.match(lines[5]!, /^total\s+1200\s+40\s+12\.3\s+1 not ok$/);
    assert.equal(lines.length, 7, 'the per-stream requests add up to the total: no overlap note');
    assert.equal(lines[6], 'calls failed: ScopeError: telephony');
  });
});
