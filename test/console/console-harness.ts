/** A console backed by a fresh emulated portal and a temp data dir, for the console tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningConsole, startConsole } from '../../src/console/index.js';
import { type Plan, type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
// After the emulator's index: importing methods/ first trips an import cycle inside the emulator.
import { portalSummary } from '../../src/emulator/methods/index.js';

/** Live row counts per stream of the harness's emulated portal. */
export function rowCounts(emulator: RunningEmulator): Record<string, number> {
  return portalSummary(emulator.portal!);
}

/** A wizard draft selecting the given streams (all others deselected), as the wizard sends it. */
export async function draftFor(
  h: ConsoleHarness,
  name: string,
  pick: (stream: string) => boolean,
  syncTypes: Record<string, 'INCREMENTAL' | 'FULL_TABLE'> = {},
): Promise<Record<string, unknown>> {
  const access = { kind: 'webhook', webhook_url: h.emulator.webhookUrl };
  const options = { plan: 'unlimited', enable_deal_products: true };
  const check = (await h.api('POST', '/api/check', { access, options })).json as {
    ok: boolean;
    streams: { name: string; replicationKey?: string; forcedMethod?: string }[];
  };
  if (!check.ok) throw new Error(`portal check failed: ${JSON.stringify(check)}`);
  const streams: Record<string, unknown> = {};
  for (const s of check.streams) {
    streams[s.name] = {
      selected: pick(s.name),
      sync_type: syncTypes[s.name] ?? s.forcedMethod ?? (s.replicationKey ? 'INCREMENTAL' : 'FULL_TABLE'),
    };
  }
  return { name, description: `${name} for a test`, trigger: { preset: 'manual' }, access, options, streams };
}

/** Starts a run through the API and waits for it to end; returns the run record. */
export async function runToEnd(h: ConsoleHarness, sourceId: string): Promise<Record<string, unknown>> {
  const started = (await h.api('POST', `/api/sources/${sourceId}/run`)).json as { runId: string };
  await h.console.services.runs.wait(started.runId);
  return (await h.api('GET', `/api/runs/${started.runId}`)).json as Record<string, unknown>;
}

export interface ConsoleHarness {
  console: RunningConsole;
  emulator: RunningEmulator;
  dataDir: string;
  csrf: string;
  /** A JSON request to the console with the CSRF header. */
  api(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; json: unknown }>;
  close(): Promise<void>;
}

export async function startHarness(
  options: {
    scale?: number;
    seed?: number;
    scopes?: string[];
    spaTypes?: number;
    timeScale?: number;
    plan?: Plan;
    missingMethods?: string[];
  } = {},
): Promise<ConsoleHarness> {
  const emulator = await startEmulator({
    seed: options.seed ?? 7,
    scale: options.scale ?? 60,
    plan: options.plan ?? 'unlimited',
    timeScale: options.timeScale ?? 1000,
    spaTypes: options.spaTypes ?? 2,
    ...(options.scopes ? { scopes: options.scopes } : {}),
    ...(options.missingMethods ? { missingMethods: options.missingMethods } : {}),
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'tap-console-'));
  const running = await startConsole({ port: 0, dataDir });
  const csrf = running.services.guard.csrfToken;
  return {
    console: running,
    emulator,
    dataDir,
    csrf,
    async api(method, path, body) {
      const response = await fetch(`${running.url}${path}`, {
        method,
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      return { status: response.status, json: await response.json() };
    },
    async close() {
      await running.close();
      await emulator.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
