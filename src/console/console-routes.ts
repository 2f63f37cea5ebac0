/** What a console route is and what it may use. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestGuard } from './request-guard.js';
import type { RunManager } from './run-manager.js';
import type { SourceScheduler } from './scheduler.js';
import type { SourceStore } from './source-store.js';

export interface ConsoleServices {
  store: SourceStore;
  runs: RunManager;
  scheduler: SourceScheduler;
  guard: RequestGuard;
  /** Removes a source's DuckDB file (only on an explicit request). */
  dropDatabase(id: string): Promise<void>;
}

export interface Exchange {
  request: IncomingMessage;
  response: ServerResponse;
  url: URL;
  /** Capture groups of the route's path pattern, URL-decoded. */
  params: string[];
  /** The parsed body of a POST. */
  body: Record<string, unknown>;
}

export interface Route {
  method: 'GET' | 'POST';
  path: RegExp;
  handle(services: ConsoleServices, exchange: Exchange): Promise<void>;
}
