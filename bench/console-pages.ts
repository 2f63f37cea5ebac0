/**
 * Console page speed with a ~200-stream portal (60 smart processes → 180 SPA streams + the
 * rest), in Debian's Chromium: navigation start → load event for every page, and click →
 * painted for the wizard's steps (step 2 includes the live portal check). Medians of REPEAT
 * tries; prints a JSON summary and a Markdown table for bench/RESULTS.md.
 * Run: npx tsx bench/console-pages.ts [--spa-types 60] [--scale 200] [--repeat 5]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startConsole } from '../src/console/index.js';
import { startEmulator } from '../src/emulator/index.js';
import { checkConfig } from '../src/sync/config.js';
import { syncPortal } from '../src/sync/run.js';
import { openBrowser } from '../test/console/browser.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const SPA_TYPES = arg('spa-types', 60);
const SCALE = arg('scale', 200);
const REPEAT = arg('repeat', 5);

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Navigation start → load event end, from the page's own navigation timing. */
async function loadMs(page: Page, url: string): Promise<number> {
  await page.goto(url, { waitUntil: 'load' });
  const ms = await page.evaluate(`(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    return nav.loadEventEnd - nav.startTime;
  })()`);
  return ms as number;
}

/**
 * Clicks `selector` (or runs `action` in the page) and waits, frame by frame, until `done` holds:
 * the time until the result is on screen and the page takes input again.
 */
async function interactMs(page: Page, action: string, done: string): Promise<number> {
  // A source string, not a function: tsx would wrap named inner functions in a helper the page lacks.
  return page.evaluate(`new Promise((resolve, reject) => {
    const t0 = performance.now();
    ${action};
    const deadline = t0 + 30000;
    requestAnimationFrame(function tick() {
      if (${done}) resolve(performance.now() - t0);
      else if (performance.now() > deadline) reject(new Error('not done: ' + ${JSON.stringify(done)}));
      else requestAnimationFrame(tick);
    });
  })`) as Promise<number>;
}

const stepShown = (n: number) => `!document.querySelector('section.step[data-step="${n}"]').hidden`;

async function main(): Promise<void> {
  const emulator = await startEmulator({
    seed: 3,
    scale: SCALE,
    spaTypes: SPA_TYPES,
    plan: 'unlimited',
    timeScale: 1000,
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'tap-console-bench-'));
  let running = await startConsole({ port: 0, dataDir, schedule: false });
  const browser = await openBrowser();
  const page = browser.page;
  const results: Record<string, number[]> = {};
  const record = (name: string, ms: number) => {
    results[name] ??= [];
    results[name].push(ms);
  };
  let streams = 0;
  let sourceId = '';
  try {
    for (let i = 0; i < REPEAT; i++) {
      const base = running.url;
      record('sources (list)', await loadMs(page, `${base}/sources`));
      record('wizard step 1 (page load)', await loadMs(page, `${base}/sources/new`));
      await page.fill('#webhook_url', emulator.webhookUrl);
      await page.selectOption('#plan', 'unlimited');
      record(
        'wizard step 2: streams (click → listed, incl. portal check)',
        await interactMs(page, "document.getElementById('check').click()", stepShown(2)),
      );
      streams = await page.$$eval('#stream-groups li:not(.unavailable) input', (xs) => xs.length);
      record(
        'wizard step 2: search "spa_fields"',
        await interactMs(
          page,
          "var s = document.getElementById('stream-search'); s.value = 'spa_fields'; s.dispatchEvent(new Event('input'))",
          "document.querySelectorAll('#stream-groups li:not([hidden])').length > 0",
        ),
      );
      record(
        'wizard step 2: clear search',
        await interactMs(
          page,
          "var s = document.getElementById('stream-search'); s.value = ''; s.dispatchEvent(new Event('input'))",
          "document.querySelectorAll('#stream-groups li[hidden]').length === 0",
        ),
      );
      record(
        'wizard step 2: group select-all toggle',
        await interactMs(
          page,
          'document.querySelector(\'.group[data-group="smart_processes"] header input\').click()',
          "document.getElementById('selected-count').textContent.indexOf('0 of') !== 0",
        ),
      );
      await page.click('#select-all');
      record(
        'wizard step 3: stream settings',
        await interactMs(page, "document.getElementById('to-settings').click()", stepShown(3)),
      );
      record(
        'wizard step 4: source settings',
        await interactMs(page, "document.getElementById('to-source').click()", stepShown(4)),
      );
      await page.fill('#name', `Bench ${i}`);
      record(
        'wizard step 5: review (incl. server validation)',
        await interactMs(page, "document.getElementById('to-review').click()", stepShown(5)),
      );
      await Promise.all([page.waitForURL(/\/sources\?saved=/), page.click('#create')]);
      sourceId ||= new URL(page.url()).searchParams.get('saved') ?? '';
    }

    // One full run of every stream, then the run view, run history and catalog.
    const csrf = running.services.guard.csrfToken;
    const started = (await (
      await fetch(`${running.url}/api/sources/${sourceId}/run`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
      })
    ).json()) as { runId: string };
    record('run view (while running)', await loadMs(page, `${running.url}/runs/${started.runId}`));
    const t0 = performance.now();
    await running.services.runs.wait(started.runId);
    const runSeconds = (performance.now() - t0) / 1000;
    const run = running.services.runs.find(started.runId);
    const failed = run?.summary?.streams.filter((s) => s.status !== 'ok') ?? [];
    if (failed.length > 0) {
      // One DuckDB session with ~200 tables can exceed the destination's 256 MB memory_limit;
      // the rest are filled in smaller runs so the catalog shows every table.
      console.error(
        `run ${run?.status}: ${failed.length} streams failed, first: ${failed[0].error?.split('\n')[0]}`,
      );
      const config = checkConfig(running.services.store.get(sourceId)?.config ?? {});
      const target = running.services.store.databasePath(sourceId);
      for (let i = 0; i < failed.length; i += 30) {
        const only = failed.slice(i, i + 30).map((s) => s.stream);
        await running.services.runs.gate.exclusive(sourceId, () => {
          running.services.runs.catalog.release(target);
          return syncPortal({ config, target, only, logger: quiet });
        });
      }
    }
    const tables = (await running.services.runs.catalog.tables(running.services.store.databasePath(sourceId)))
      .length;
    for (let i = 0; i < REPEAT; i++) {
      record('run view (finished)', await loadMs(page, `${running.url}/runs/${started.runId}`));
      record('runs of a source', await loadMs(page, `${running.url}/sources/${sourceId}/runs`));
      record('sources (after a run)', await loadMs(page, `${running.url}/sources`));
      record('catalog (warm)', await loadMs(page, `${running.url}/sources/${sourceId}/catalog`));
      record('table page (deals)', await loadMs(page, `${running.url}/sources/${sourceId}/tables/deals`));
    }
    // Cold catalog: a fresh console process state, loaded before and after its background read.
    for (let i = 0; i < Math.min(REPEAT, 3); i++) {
      await running.close();
      running = await startConsole({ port: 0, dataDir, schedule: false });
      record(
        'catalog (right after console start)',
        await loadMs(page, `${running.url}/sources/${sourceId}/catalog`),
      );
    }
    const summary = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, Math.round(median(v))]));
    console.log(
      JSON.stringify({ spaTypes: SPA_TYPES, scale: SCALE, streams, tables, runSeconds, summary }, null, 2),
    );
    console.log(
      `\n| Page / action (${streams} streams, ${tables} tables) | median ms | max ms |\n|---|---:|---:|`,
    );
    for (const [k, v] of Object.entries(results)) {
      console.log(`| ${k} | ${Math.round(median(v))} | ${Math.round(Math.max(...v))} |`);
    }
  } finally {
    await browser.close();
    await running.close();
    await emulator.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
