/** The console's HTML pages and their form posts (which redirect back to a page). */

import { CONFIG_SETTINGS } from '../sync/settings.js';
import { deleteSource, publicSource } from './api-routes.js';
import type { ConsoleServices, Route } from './console-routes.js';
import { HttpError, redirect, sendAsset, sendHtml } from './http-exchange.js';
import { catalogPage, modelPage, tablePage } from './pages/catalog-pages.js';
import { RUN_JS, runPage, runsPage } from './pages/run-pages.js';
import { deletePage, sourcesPage } from './pages/sources-page.js';
import { CONSOLE_CSS } from './pages/style.js';
import { wizardPage } from './pages/wizard-page.js';
import { WIZARD_JS } from './pages/wizard-script.js';
import { plainError } from './run-manager.js';
import type { StoredSource } from './source-store.js';

/** The schema a source's model views live in: its `models_schema`, or that key's default. */
function modelsSchemaOf(source: StoredSource): string {
  const configured = source.config.models_schema;
  if (typeof configured === 'string' && configured !== '') return configured;
  return String(CONFIG_SETTINGS.find((s) => s.key === 'models_schema')?.default);
}

function mustFind(services: ConsoleServices, id: string): StoredSource {
  const source = services.store.get(id);
  if (!source) throw new HttpError(404, `There is no source "${id}".`);
  return source;
}

export const PAGE_ROUTES: Route[] = [
  { method: 'GET', path: /^\/$/, handle: async (_s, ex) => redirect(ex.response, '/sources') },
  {
    method: 'GET',
    path: /^\/assets\/console\.css$/,
    handle: async (_s, ex) => sendAsset(ex.response, 'text/css', CONSOLE_CSS),
  },
  {
    method: 'GET',
    path: /^\/assets\/wizard\.js$/,
    handle: async (_s, ex) => sendAsset(ex.response, 'text/javascript', WIZARD_JS),
  },
  {
    method: 'GET',
    path: /^\/assets\/run\.js$/,
    handle: async (_s, ex) => sendAsset(ex.response, 'text/javascript', RUN_JS),
  },
  {
    method: 'GET',
    path: /^\/sources$/,
    handle: async (services, ex) => {
      const rows = services.store.list().map((source) => ({
        source,
        lastRun: services.runs.lastRun(source.id),
        nextRun: services.scheduler.nextRun(source.id),
      }));
      const saved = ex.url.searchParams.get('saved');
      const deleted = ex.url.searchParams.get('deleted');
      const notice = saved
        ? `Saved source "${services.store.get(saved)?.name ?? saved}". Run it now or wait for its trigger.`
        : deleted
          ? `Deleted source "${deleted}".`
          : undefined;
      sendHtml(ex.response, 200, sourcesPage(rows, services.guard.csrfToken, notice));
    },
  },
  {
    method: 'GET',
    path: /^\/sources\/new$/,
    handle: async (services, ex) => sendHtml(ex.response, 200, wizardPage({}, services.guard.csrfToken)),
  },
  {
    method: 'GET',
    path: /^\/sources\/([a-z0-9_]+)\/edit$/,
    handle: async (services, ex) => {
      const source = publicSource(services, mustFind(services, ex.params[0])) as unknown as StoredSource;
      sendHtml(
        ex.response,
        200,
        wizardPage(
          {
            id: source.id,
            name: source.name,
            description: source.description,
            trigger: source.trigger,
            config: source.config,
          },
          services.guard.csrfToken,
        ),
      );
    },
  },
  {
    method: 'GET',
    path: /^\/sources\/([a-z0-9_]+)\/delete$/,
    handle: async (services, ex) => {
      const source = mustFind(services, ex.params[0]);
      sendHtml(
        ex.response,
        200,
        deletePage(source, services.guard.csrfToken, services.store.databasePath(source.id)),
      );
    },
  },
  {
    method: 'POST',
    path: /^\/sources\/([a-z0-9_]+)\/delete$/,
    handle: async (services, ex) => {
      const source = mustFind(services, ex.params[0]);
      await deleteSource(services, source.id, ex.body.drop_tables === 'yes');
      redirect(ex.response, `/sources?deleted=${encodeURIComponent(source.name)}`);
    },
  },
  {
    method: 'POST',
    path: /^\/sources\/([a-z0-9_]+)\/run$/,
    handle: async (services, ex) => {
      const source = mustFind(services, ex.params[0]);
      const run = services.runs.start(source.id, 'manual');
      redirect(ex.response, `/runs/${run.id}`);
    },
  },
  {
    method: 'POST',
    path: /^\/sources\/([a-z0-9_]+)\/verify$/,
    handle: async (services, ex) => {
      const source = mustFind(services, ex.params[0]);
      let outcome: string;
      try {
        const report = await services.runs.verify(source.id);
        const drift = report.streams.filter((s) => s.status === 'drift').map((s) => s.stream);
        const failed = report.streams.filter((s) => s.status === 'failed').map((s) => s.stream);
        outcome = report.ok
          ? 'Verified: every counted table matches the portal.'
          : `Verified: ${drift.length} table(s) with drift${drift.length ? ` (${drift.join(', ')})` : ''}, ${failed.length} failed${failed.length ? ` (${failed.join(', ')})` : ''}.`;
      } catch (error) {
        outcome = `Verification failed: ${plainError(error)}`;
      }
      redirect(ex.response, `/sources/${source.id}/catalog?verified=${encodeURIComponent(outcome)}`);
    },
  },
  {
    method: 'GET',
    path: /^\/sources\/([a-z0-9_]+)\/runs$/,
    handle: async (services, ex) => {
      const source = mustFind(services, ex.params[0]);
      sendHtml(
        ex.response,
        200,
        runsPage(source, services.runs.history(source.id), services.guard.csrfToken),
      );
    },
  },
  {
    method: 'GET',
    path: /^\/runs\/([A-Za-z0-9_-]+)$/,
    handle: async (services, ex) => {
      const run = services.runs.find(ex.params[0]);
      if (!run) throw new HttpError(404, 'There is no such run (the history keeps the last 50 per source).');
      sendHtml(ex.response, 200, runPage(run, services.store.get(run.sourceId), services.guard.csrfToken));
    },
  },
  {
    method: 'GET',
    path: /^\/sources\/([a-z0-9_]+)\/catalog$/,
    handle: async (services, ex) => {
      const source = mustFind(services, ex.params[0]);
      const path = services.store.databasePath(source.id);
      const csrf = services.guard.csrfToken;
      const going = services.runs.activeRun(source.id);
      if (going) {
        const notice = `A run is writing this source right now; the catalog shows once it ends. Follow it at /runs/${going.id}.`;
        sendHtml(ex.response, 200, catalogPage(source, [], csrf, path, notice));
        return;
      }
      const { tables, models } = await services.runs.gate.exclusive(source.id, async () => ({
        tables: await services.runs.catalog.tables(path),
        models: await services.runs.catalog.models(path, modelsSchemaOf(source)),
      }));
      const verified = ex.url.searchParams.get('verified') ?? undefined;
      sendHtml(ex.response, 200, catalogPage(source, tables, csrf, path, verified, models));
    },
  },
  {
    method: 'GET',
    path: /^\/sources\/([a-z0-9_]+)\/models\/([A-Za-z0-9_]+)$/,
    handle: async (services, ex) => {
      const source = mustFind(services, ex.params[0]);
      if (services.runs.isRunning(source.id)) {
        throw new HttpError(409, 'A run is writing this source right now; open the model once it ends.');
      }
      const path = services.store.databasePath(source.id);
      const schema = modelsSchemaOf(source);
      const { model, preview } = await services.runs.gate.exclusive(source.id, async () => {
        const found = (await services.runs.catalog.models(path, schema)).find((m) => m.name === ex.params[1]);
        if (!found) throw new HttpError(404, `No model ${ex.params[1]} in ${schema} yet.`);
        return { model: found, preview: await services.runs.catalog.preview(path, schema, found.name) };
      });
      sendHtml(ex.response, 200, modelPage(source, model, preview, services.guard.csrfToken));
    },
  },
  {
    method: 'GET',
    path: /^\/sources\/([a-z0-9_]+)\/tables\/([A-Za-z0-9_]+)$/,
    handle: async (services, ex) => {
      const source = mustFind(services, ex.params[0]);
      if (services.runs.isRunning(source.id)) {
        throw new HttpError(409, 'A run is writing this source right now; open the table once it ends.');
      }
      const path = services.store.databasePath(source.id);
      const { table, preview } = await services.runs.gate.exclusive(source.id, async () => {
        const found = (await services.runs.catalog.tables(path)).find((t) => t.stream === ex.params[1]);
        if (!found) throw new HttpError(404, `No table for stream ${ex.params[1]} yet.`);
        return { table: found, preview: await services.runs.catalog.preview(path, found.layer, found.table) };
      });
      sendHtml(ex.response, 200, tablePage(source, table, preview, services.guard.csrfToken));
    },
  },
];
