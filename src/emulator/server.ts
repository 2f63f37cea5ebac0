/**
 * The emulator's HTTP(S) server: routes a request, then for /rest/ calls runs the pipeline
 * Bitrix runs — faults at the edge, auth, request bucket, method lookup, scope, operating budget,
 * the method, its modelled processing time — and writes the envelope.
 */
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Credential } from './auth/credentials.js';
import { batchHasWrite, runBatch } from './batch.js';
import { applyControl, ControlError, parseControlAction } from './control.js';
import type { EmulatorCore } from './core.js';
import { type FaultDecision, FaultSpecError, faultAnswer } from './faults.js';
import { RestError, restErrors, sendBody, sendError, sendJson } from './http/answers.js';
import { successEnvelope, timeObject } from './http/envelope.js';
import { answerBytes } from './http/json-fragment.js';
import { budgetKey, callMethod, lookupMethod, methodName } from './http/method-call.js';
import { ParamsParseError, parseBody, parseBracketQuery } from './http/params.js';
import { type Route, route } from './http/router.js';
import type { Params } from './methods/contract.js';

type RestRoute = Extract<Route, { kind: 'rest-webhook' | 'rest-oauth' | 'rest-unknown' }>;

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function requestParams(req: IncomingMessage, url: URL): Promise<Params> {
  const query = parseBracketQuery(url.search);
  if (req.method === 'GET' || req.method === 'HEAD') return query;
  const body = await parseBody(await readBody(req), req.headers['content-type']);
  return { ...query, ...body };
}

function authenticate(core: EmulatorCore, r: RestRoute, params: Params): Credential | RestError {
  if (r.kind === 'rest-webhook') return core.webhook.match(r.userId, r.code) ?? restErrors.noAuth();
  const token = params.auth ?? params.AUTH;
  if (typeof token !== 'string' || token === '') return restErrors.noAuth();
  return core.oauth.verify(token);
}

function isMovedPrefix(prefix: string): boolean {
  return prefix === '' || /^\/moved\d*$/.test(prefix);
}

class RestHandler {
  constructor(private readonly core: EmulatorCore) {}

  private reject(
    res: ServerResponse,
    error: { code: string | number; description: string; status: number },
  ): void {
    this.core.stats.rejection(error.code);
    sendError(res, error, this.core.jsonEscaping);
  }

  async handle(req: IncomingMessage, res: ServerResponse, r: RestRoute, url: URL): Promise<void> {
    const core = this.core;
    if (r.prefix !== core.restPrefix) {
      if (!isMovedPrefix(r.prefix))
        return sendJson(res, 404, { error: 'NOT_FOUND', error_description: 'Not found' });
      // The portal moved: Bitrix answers 302 to the new address; clients must re-send there.
      const rest = url.pathname.slice(url.pathname.indexOf('/rest/'));
      const location = `${core.origin}${core.restPrefix}${rest}${url.search}`;
      return sendBody(res, 302, '', 'text/html', { location });
    }
    const name = r.kind === 'rest-unknown' ? null : methodName(r.method);
    core.stats.request(name);
    const fault = core.faults.next();
    if (fault) {
      core.stats.fault(fault.kind);
      if (fault.kind === 'reset') {
        req.socket.destroy();
        return;
      }
      if (fault.kind === 'slow') await new Promise((resolve) => setTimeout(resolve, core.faults.slowMs));
      else if (fault.kind === '5xx' || fault.kind === 'html') return this.sendFault(res, fault, '');
    }
    let params: Params;
    try {
      params = await requestParams(req, url);
    } catch (error) {
      if (error instanceof ParamsParseError)
        return this.reject(res, restErrors.invalidRequest(error.message));
      throw error;
    }
    if (r.kind === 'rest-unknown' || name === null) return this.reject(res, restErrors.methodNotFound());
    const credential = authenticate(core, r, params);
    if (credential instanceof RestError) return this.reject(res, credential);
    delete params.auth;
    delete params.AUTH;
    const corrupting = fault?.kind === 'malformed' || fault?.kind === 'truncated' ? fault : null;
    if (corrupting && this.isWrite(name, params)) {
      // Never corrupt the answer of a write that ran: corrupt instead of running it.
      return this.sendFault(res, corrupting, '{"result":true,"time":{"start":0}}');
    }
    if (!core.bucket.admit()) return this.reject(res, restErrors.queryLimit());
    const startMs = core.clock.now();
    let outcome: { result: unknown; total?: number; next?: number; cost: number };
    let operatingKey: string;
    if (name === 'batch' && lookupMethod(core, 'batch')) {
      operatingKey = budgetKey(credential, 'batch');
      if (core.batchBilling === 'batch' && !core.budget.allows(operatingKey)) {
        return this.reject(res, restErrors.operationTimeLimit('batch'));
      }
      try {
        outcome = runBatch(core, credential, params, startMs);
      } catch (error) {
        if (error instanceof RestError) return this.reject(res, error);
        throw error;
      }
    } else {
      const call = callMethod(core, credential, name, params, { inBatch: false, billed: true });
      if (!call.ok) return this.reject(res, call.error);
      outcome = call.outcome;
      operatingKey = budgetKey(credential, call.method.name);
    }
    await core.clock.sleep(outcome.cost);
    const time = timeObject(startMs, core.clock.now(), outcome.cost, core.budget.state(operatingKey));
    const body = answerBytes(
      successEnvelope(outcome.result, outcome.total, outcome.next, time),
      core.jsonEscaping,
    );
    if (corrupting) return this.sendFault(res, corrupting, Buffer.concat(body).toString('utf8'));
    sendBody(res, 200, body);
  }

  private isWrite(name: string, params: Params): boolean {
    if (name === 'batch') return batchHasWrite(this.core, params);
    return lookupMethod(this.core, name)?.write === true;
  }

  private sendFault(res: ServerResponse, fault: FaultDecision, realBody: string): void {
    const answer = faultAnswer(fault, realBody);
    if (answer) sendBody(res, answer.status, answer.body, answer.contentType);
  }
}

export interface ServerOptions {
  core: EmulatorCore;
  portalSummary: () => Record<string, number>;
  /** Every list's IDs, visible and hidden (truth.ts); {} without a generated portal. */
  truth: () => Record<string, unknown>;
  tls?: { key: string; cert: string };
}

export function createEmulatorServer(options: ServerOptions): Server {
  const { core } = options;
  const rest = new RestHandler(core);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const r = route(url.pathname);
    switch (r.kind) {
      case 'rest-webhook':
      case 'rest-oauth':
      case 'rest-unknown':
        res.on('finish', () => core.stats.status(res.statusCode));
        return rest.handle(req, res, r, url);
      case 'authorize': {
        const answer = core.oauth.authorize(parseBracketQuery(url.search), core.redirectUri);
        if ('location' in answer) return sendBody(res, 302, '', 'text/html', { location: answer.location });
        return sendJson(res, answer.status, answer.body);
      }
      case 'token': {
        const answer = core.oauth.token(await requestParams(req, url));
        return sendJson(res, answer.status, answer.body);
      }
      case 'stats':
        return sendJson(res, 200, core.stats.snapshot());
      case 'stats-reset':
        core.stats.reset();
        return sendJson(res, 200, { ok: true });
      case 'portal':
        return sendJson(res, 200, options.portalSummary());
      case 'truth':
        return sendJson(res, 200, options.truth());
      case 'control': {
        if (req.method !== 'POST') return sendJson(res, 405, { error: 'use POST' });
        try {
          const action = parseControlAction(JSON.parse((await readBody(req)).toString('utf8') || 'null'));
          return sendJson(res, 200, applyControl(core, action));
        } catch (error) {
          if (
            error instanceof ControlError ||
            error instanceof FaultSpecError ||
            error instanceof SyntaxError
          ) {
            return sendJson(res, 400, { error: 'BAD_CONTROL', error_description: error.message });
          }
          throw error;
        }
      }
      default:
        return sendJson(res, 404, { error: 'NOT_FOUND', error_description: 'Not found' });
    }
  }

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((error: unknown) => {
      process.stderr.write(`emulator: ${error instanceof Error ? error.stack : String(error)}\n`);
      if (!res.headersSent) sendError(res, restErrors.internal());
      else res.destroy();
    });
  };
  const server = options.tls
    ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, listener)
    : createHttpServer(listener);
  server.keepAliveTimeout = 30_000;
  return server;
}
