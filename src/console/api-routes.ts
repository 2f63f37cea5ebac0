/** The console's JSON API: the portal check, sources, runs and catalogs. The pages use it too. */
import type { ConsoleServices, Route } from './console-routes.js';
import { HttpError, sendJson } from './http-exchange.js';
import { checkPortal } from './portal-check.js';
import { maskConfig } from './secret-mask.js';
import { accessConfig, DraftError, type SourceDraft, sourceFromDraft } from './source-draft.js';
import type { StoredSource } from './source-store.js';

/** A source as the browser may see it (secrets masked). */
export function publicSource(services: ConsoleServices, source: StoredSource): Record<string, unknown> {
  const last = services.runs.lastRun(source.id);
  return {
    ...source,
    config: maskConfig(source.config),
    lastRun: last ? { id: last.id, status: last.status, startedAt: last.startedAt, error: last.error } : null,
    nextRun: services.scheduler.nextRun(source.id)?.toISOString() ?? null,
    running: services.runs.isRunning(source.id),
  };
}

function mustFind(services: ConsoleServices, id: string): StoredSource {
  const source = services.store.get(id);
  if (!source) throw new HttpError(404, `no source ${id}`);
  return source;
}

function saveDraft(services: ConsoleServices, draft: SourceDraft, existing?: StoredSource): StoredSource {
  const source = sourceFromDraft(draft, (name) => services.store.freshId(name), existing);
  services.store.save(source);
  services.scheduler.schedule(source);
  return source;
}

/** A draft that fails a rule answers 400 with the field and the reason. */
function draftFailure(error: unknown): { ok: false; field: string; error: string } {
  if (error instanceof DraftError) return { ok: false, field: error.field, error: error.message };
  throw error;
}

export async function deleteSource(
  services: ConsoleServices,
  id: string,
  dropTables: boolean,
): Promise<void> {
  mustFind(services, id);
  if (services.runs.isRunning(id)) throw new HttpError(409, 'the source is running; wait for the run to end');
  services.scheduler.unschedule(id);
  services.store.remove(id);
  services.runs.forget(id);
  if (dropTables) await services.dropDatabase(id);
}

export const API_ROUTES: Route[] = [
  {
    method: 'POST',
    path: /^\/api\/check$/,
    handle: async (services, ex) => {
      const body = ex.body as {
        sourceId?: string;
        access?: SourceDraft['access'];
        options?: SourceDraft['options'];
      };
      const stored = body.sourceId ? services.store.get(body.sourceId)?.config : undefined;
      let config: Record<string, unknown>;
      try {
        config = accessConfig(body.access, body.options, stored);
      } catch (error) {
        sendJson(ex.response, 200, draftFailure(error));
        return;
      }
      sendJson(ex.response, 200, await checkPortal(config));
    },
  },
  {
    method: 'POST',
    path: /^\/api\/sources\/validate$/,
    handle: async (services, ex) => {
      const body = ex.body as { id?: string; draft?: SourceDraft };
      const existing = body.id ? services.store.get(body.id) : undefined;
      try {
        sourceFromDraft(body.draft ?? {}, (name) => services.store.freshId(name), existing);
        sendJson(ex.response, 200, { ok: true });
      } catch (error) {
        sendJson(ex.response, 400, draftFailure(error));
      }
    },
  },
  {
    method: 'GET',
    path: /^\/api\/sources$/,
    handle: async (services, ex) => {
      sendJson(
        ex.response,
        200,
        services.store.list().map((s) => publicSource(services, s)),
      );
    },
  },
  {
    method: 'POST',
    path: /^\/api\/sources$/,
    handle: async (services, ex) => {
      try {
        const source = saveDraft(services, ex.body as SourceDraft);
        sendJson(ex.response, 201, { ok: true, id: source.id });
      } catch (error) {
        sendJson(ex.response, 400, draftFailure(error));
      }
    },
  },
  {
    method: 'GET',
    path: /^\/api\/sources\/([a-z0-9_]+)$/,
    handle: async (services, ex) => {
      sendJson(ex.response, 200, publicSource(services, mustFind(services, ex.params[0])));
    },
  },
  {
    method: 'POST',
    path: /^\/api\/sources\/([a-z0-9_]+)$/,
    handle: async (services, ex) => {
      const existing = mustFind(services, ex.params[0]);
      try {
        const source = saveDraft(services, ex.body as SourceDraft, existing);
        sendJson(ex.response, 200, { ok: true, id: source.id });
      } catch (error) {
        sendJson(ex.response, 400, draftFailure(error));
      }
    },
  },
  {
    method: 'POST',
    path: /^\/api\/sources\/([a-z0-9_]+)\/delete$/,
    handle: async (services, ex) => {
      await deleteSource(
        services,
        ex.params[0],
        ex.body?.drop_tables === true || ex.body?.drop_tables === 'yes',
      );
      sendJson(ex.response, 200, { ok: true });
    },
  },
  {
    method: 'POST',
    path: /^\/api\/sources\/([a-z0-9_]+)\/run$/,
    handle: async (services, ex) => {
      mustFind(services, ex.params[0]);
      const run = services.runs.start(ex.params[0], 'manual');
      sendJson(ex.response, 202, { ok: true, runId: run.id });
    },
  },
  {
    method: 'GET',
    path: /^\/api\/sources\/([a-z0-9_]+)\/runs$/,
    handle: async (services, ex) => {
      mustFind(services, ex.params[0]);
      sendJson(ex.response, 200, services.runs.history(ex.params[0]));
    },
  },
  {
    method: 'GET',
    path: /^\/api\/sources\/([a-z0-9_]+)\/catalog$/,
    handle: async (services, ex) => {
      const id = mustFind(services, ex.params[0]).id;
      if (services.runs.isRunning(id))
        throw new HttpError(409, 'a run is writing this source; try again when it ends');
      const tables = await services.runs.gate.exclusive(id, () =>
        services.runs.catalog.tables(services.store.databasePath(id)),
      );
      sendJson(ex.response, 200, tables);
    },
  },
  {
    method: 'GET',
    path: /^\/api\/runs\/([A-Za-z0-9_-]+)$/,
    handle: async (services, ex) => {
      const run = services.runs.find(ex.params[0]);
      if (!run) throw new HttpError(404, `no run ${ex.params[0]}`);
      sendJson(ex.response, 200, run);
    },
  },
];
