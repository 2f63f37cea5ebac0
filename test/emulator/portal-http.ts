/** Shared helpers of the portal-side tests: a real emulator over loopback HTTP. */
import { readFileSync } from 'node:fs';
import { startEmulator } from '../../src/emulator/index.js';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export interface Answer {
  status: number;
  body: { result?: Json; total?: number; next?: number; error?: string | number; error_description?: string };
}

export const NOW = Date.UTC(2026, 5, 15, 12, 0, 0);

export async function startPortal(scale = 300, seed = 7) {
  const emu = await startEmulator({ seed, scale, plan: 'unlimited', timeScale: 1000, now: NOW });
  const call = async (method: string, params: unknown = {}): Promise<Answer> => {
    const res = await fetch(emu.webhookUrl + method, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(params),
    });
    return { status: res.status, body: (await res.json()) as Answer['body'] };
  };
  return { emu, call };
}

const FIXTURES = new URL('../fixtures/bitrix24-docs/', import.meta.url);
export function fixture(name: string): { result: Json; total?: number } {
  return JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8'));
}

/** The JSON kind of a value: what "same encoding" compares. */
export function kind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}
