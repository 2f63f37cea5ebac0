/**
 * A run lasting a few seconds, watched two ways: the progress API sampled once a second keeps
 * moving, and the run view in Chromium asks again within a second of each answer and redraws
 * the counters several times before the run ends.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openBrowser, type TestBrowser } from './browser.js';
import { type ConsoleHarness, draftFor, rowCounts, startHarness } from './console-harness.js';

interface Progress {
  rows: number;
  requests: number;
}
interface RunJson {
  status: string;
  progress: Record<string, Progress>;
}

let h: ConsoleHarness;
let b: TestBrowser;

before(async () => {
  // Enough deals, served slowly enough (the portal's modelled processing time at a quarter of
  // real time), that reading them takes several seconds however fast the sync gets.
  h = await startHarness({ scale: 25_000, seed: 11, timeScale: 4 });
  b = await openBrowser();
});

after(async () => {
  await b?.close();
  await h?.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('a run reports progress at least once a second, and the run view follows it', async () => {
  const draft = await draftFor(h, 'Progress', (s) => s === 'deals');
  const created = (await h.api('POST', '/api/sources', draft)).json as { id: string };
  const page = b.page;
  // Timed in the page: the test process is too busy running the sync to timestamp events itself.
  await page.addInitScript(`
    window.pollLog = [];
    const original = window.fetch.bind(window);
    window.fetch = (input, init) => {
      const askedAt = performance.now();
      return original(input, init).then((response) => {
        if (String(input).includes('/api/runs/')) window.pollLog.push([askedAt, performance.now()]);
        return response;
      });
    };
  `);
  const { runId } = (await h.api('POST', `/api/sources/${created.id}/run`)).json as { runId: string };
  await page.goto(`${h.console.url}/runs/${runId}`);
  const shownRows = new Set<string>();
  const samples: Progress[] = [];
  for (;;) {
    const run = (await h.api('GET', `/api/runs/${runId}`)).json as RunJson;
    shownRows.add((await page.textContent('#run-rows')) ?? '');
    if (run.status !== 'running') break;
    const deals = run.progress.deals;
    if (deals && deals.rows > 0) samples.push({ rows: deals.rows, requests: deals.requests });
    await sleep(1000);
  }
  await page.waitForSelector('#run-status .status.ok');

  // The API: once rows flow, every 1-second sample differs from the one before.
  assert.ok(samples.length >= 3, `only ${samples.length} samples while rows flowed: the run was too short`);
  const moved = samples
    .slice(1)
    .filter((s, i) => s.rows > samples[i].rows || s.requests > samples[i].requests);
  assert.ok(
    moved.length >= samples.length - 2,
    `progress stood still between 1-second samples: ${JSON.stringify(samples)}`,
  );
  for (let i = 1; i < samples.length; i++) assert.ok(samples[i].rows >= samples[i - 1].rows);
  const final = (await h.api('GET', `/api/runs/${runId}`)).json as {
    summary: { streams: { stream: string; rows: number }[] };
  };
  assert.equal(final.summary.streams.find((s) => s.stream === 'deals')?.rows, rowCounts(h.emulator).deals);

  // The page: it asks again within a second of every answer, and drew several row counts.
  const log = (await page.evaluate('window.pollLog')) as [number, number][];
  assert.ok(log.length >= 4, `the run view polled ${log.length} times`);
  const gaps = log.slice(1).map(([askedAt], i) => askedAt - log[i][1]);
  assert.ok(Math.max(...gaps) <= 1000, `poll gaps ${gaps.map(Math.round).join(', ')} ms`);
  assert.ok(shownRows.size >= 3, `the page showed rows ${[...shownRows].join(', ')}`);
  assert.equal(await page.textContent('#run-rows'), String(rowCounts(h.emulator).deals));
});
