/**
 * `startConsole()`: the web console's node:http server. It routes to the pages and the JSON API,
 * admits requests through the guard (Host check, password, CSRF on every POST), and owns the
 * source store, the run manager and the scheduler.
 */
import { rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { API_ROUTES } from './api-routes.js';
import type { ConsoleServices, Route } from './console-routes.js';
import { HttpError, readBody, sendHtml, sendJson } from './http-exchange.js';
import { PAGE_ROUTES } from './page-routes.js';
import { html, page } from './pages/layout.js';
import { isLoopback, RequestGuard } from './request-guard.js';
import { RunManager } from './run-manager.js';
import { SourceScheduler } from './scheduler.js';
import { SourceStore } from './source-store.js';

export interface ConsoleOptions {
  port?: number;
  host?: string;
  /** Where sources.json, run history and each source's DuckDB file live. */
  dataDir?: string;
  /** Required when `host` is not a loopback address; HTTP basic auth (any user name). */
  password?: string;
  /** Start the sources' cron triggers (default true). */
  schedule?: boolean;
}

export interface RunningConsole {
  url: string;
  port: number;
  dataDir: string;
  services: ConsoleServices;
  close(): Promise<void>;
}

export class ConsoleSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConsoleSetupError';
  }
}

export const DEFAULT_CONSOLE_PORT = 8724;

export function defaultDataDir(): string {
  return join(homedir(), '.tap-bitrix24');
}

const ROUTES: Route[] = [...API_ROUTES, ...PAGE_ROUTES];

async function dispatch(
  services: ConsoleServices,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://console.local');
  const isApi = url.pathname.startsWith('/api/');
  try {
    const refusal = services.guard.admit(request);
    if (refusal) {
      const headers: Record<string, string> = { 'content-type': 'text/plain; charset=utf-8' };
      if (refusal.challenge)
        headers['www-authenticate'] = 'Basic realm="tap-bitrix24 console", charset="UTF-8"';
      response.writeHead(refusal.status, headers);
      response.end(refusal.message);
      return;
    }
    const method = request.method === 'HEAD' ? 'GET' : request.method;
    let matchedPath = false;
    for (const route of ROUTES) {
      const match = route.path.exec(url.pathname);
      if (!match) continue;
      matchedPath = true;
      if (route.method !== method) continue;
      const body = method === 'POST' ? await readBody(request) : {};
      if (method === 'POST' && !services.guard.csrfOk(request, body)) {
        throw new HttpError(
          403,
          'The form expired or came from another site (missing CSRF token). Reload the page and try again.',
        );
      }
      const params = match.slice(1).map((p) => decodeURIComponent(p));
      await route.handle(services, { request, response, url, params, body });
      return;
    }
    throw new HttpError(
      matchedPath ? 405 : 404,
      matchedPath ? 'method not allowed' : 'There is no such page.',
    );
  } catch (error) {
    const status = error instanceof HttpError ? error.status : 500;
    const message = error instanceof Error ? error.message : String(error);
    if (response.headersSent) {
      response.end();
      return;
    }
    if (isApi) {
      sendJson(response, status, { ok: false, error: message });
    } else {
      const body = html`<h1>${status === 404 ? 'Not found' : 'Something went wrong'}</h1><div class="error">${message}</div><p><a href="/sources">Back to sources</a></p>`;
      sendHtml(response, status, page({ title: 'Error', csrf: services.guard.csrfToken, body }));
    }
  }
}

export async function startConsole(options: ConsoleOptions = {}): Promise<RunningConsole> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopback(host) && !options.password) {
    throw new ConsoleSetupError(
      `binding the console to ${host} exposes it beyond this computer; set --password too (or bind to 127.0.0.1)`,
    );
  }
  const dataDir = options.dataDir ?? defaultDataDir();
  const store = new SourceStore(dataDir);
  const runs = new RunManager(store);
  const scheduler = new SourceScheduler(store, runs);
  const services: ConsoleServices = {
    store,
    runs,
    scheduler,
    guard: new RequestGuard(host, options.password),
    async dropDatabase(id) {
      const path = store.databasePath(id);
      // Through the gate: a catalog read may hold the file open right now.
      await runs.gate.exclusive(id, async () => {
        runs.catalog.release(path);
        for (const suffix of ['', '.wal']) rmSync(`${path}${suffix}`, { force: true });
      });
    },
  };
  if (options.schedule !== false) scheduler.startAll();
  for (const source of store.list()) runs.warm(source.id);
  const server = createServer((request, response) => {
    void dispatch(services, request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULT_CONSOLE_PORT, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    dataDir,
    services,
    async close() {
      scheduler.stopAll();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await runs.closeAll();
    },
  };
}
