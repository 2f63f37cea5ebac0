/**
 * `startEmulator()`: a Bitrix24 portal on loopback for tests, the demo and benchmarks. It wires
 * the portal side (generated data and method handlers) to the HTTP side (auth, limits, batch,
 * faults) and listens; the answer holds everything a client needs to connect.
 */

import type { AddressInfo, Server } from 'node:net';
import { ALL_SCOPES, deriveSecret, IncomingWebhook, ScopeGrants } from './auth/credentials.js';
import { OAuthServer } from './auth/oauth.js';
import { Clock } from './clock.js';
import { applyControl, type ControlAction } from './control.js';
import type { BatchBilling, EmulatorCore } from './core.js';
import { FaultInjector } from './faults.js';
import type { JsonEscaping } from './http/php-json.js';
import { OperatingBudget } from './limits/operating-budget.js';
import { type Plan, RequestBucket } from './limits/request-bucket.js';
import type { MethodDefinition } from './methods/contract.js';
import { buildMethodTable, generatePortal, type Portal, portalSummary } from './methods/index.js';
import { createEmulatorServer } from './server.js';
import { AccessFilter } from './short-pages.js';
import { type Stats, StatsRecorder } from './stats.js';
import { systemMethods } from './system-methods.js';
import { makeCertificate } from './tls.js';
import { portalTruth, type Truth } from './truth.js';
import { parseVariants, VariantSpecError, type Variants } from './variants.js';

export type { ControlAction } from './control.js';
export type { BatchBilling } from './core.js';
export type { JsonEscaping } from './http/php-json.js';
export type { Plan } from './limits/request-bucket.js';
export type { MethodDefinition, MethodOutcome, Params } from './methods/contract.js';
export { MethodError } from './methods/contract.js';
export type { Portal } from './methods/index.js';
export type { Stats } from './stats.js';
export type { ListTruth, Truth } from './truth.js';
export { VARIANT_NAMES, VariantSpecError } from './variants.js';

export interface EmulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  seed?: number;
  /** Portal size: about this many deals, and the other collections in proportion. */
  scale?: number;
  /** Smart-process types on the portal (entityTypeIds 128, 130, …; each adds 3 streams); 2 by default. */
  spaTypes?: number;
  plan?: Plan;
  scopes?: readonly string[];
  /** Fault spec, e.g. `5xx=0.05,reset=0.01,slow=0.02:3000`. */
  faults?: string;
  /** Emulated clock speed: limits, baskets, token lifetimes and processing waits run this much faster. */
  timeScale?: number;
  tls?: boolean;
  /** Where to write the CA PEM with `tls`; a temporary file by default. */
  caFile?: string;
  /** Operating-time limit per (credential, method) per 10 minutes, seconds. */
  operatingLimit?: number;
  batchBilling?: BatchBilling;
  /** `php`: answers escaped as a portal's PHP writes them (`\uxxxx`, `\/`); `raw` (default): UTF-8. */
  jsonEscaping?: JsonEscaping;
  /** Access-token lifetime, emulated seconds. */
  tokenTtl?: number;
  /** Where `/oauth/authorize/` redirects when the request names no `redirect_uri`. */
  redirectUri?: string;
  /** Emulated ms since epoch at start (defaults to the real clock). */
  now?: number;
  webhookCode?: string;
  webhookUserId?: number;
  clientId?: string;
  clientSecret?: string;
  /**
   * Divergences of real portals to reproduce, e.g. `['short-pages', 'literal-refs',
   * 'missing-methods=user.fields+crm.deal.fields']` or the same comma-separated (variants.ts).
   */
  variants?: string | readonly string[];
  /** Methods this portal does not have: they answer ERROR_METHOD_NOT_FOUND (HTTP 404). */
  missingMethods?: readonly string[];
  /** Replaces the portal side's generated portal and method table (HTTP-side tests only). */
  methods?: Map<string, MethodDefinition>;
}

export interface OAuthConnection {
  client_id: string;
  client_secret: string;
  portal_url: string;
  authorize_url: string;
  token_url: string;
  refresh_token: string;
}

export interface RunningEmulator {
  webhookUrl: string;
  oauth: OAuthConnection;
  port: number;
  /** `http(s)://host:port`, no trailing slash. */
  baseUrl: string;
  caFile?: string;
  caPem?: string;
  /** The generated portal (undefined when `methods` replaced it). */
  portal: Portal | undefined;
  /** Every method served, data and system, keyed by lower-case name. */
  methods: Map<string, MethodDefinition>;
  clock: Clock;
  stats(): Stats;
  resetStats(): void;
  /** Every list's IDs as the portal holds them and as the credential sees them (truth.ts). */
  truth(): Truth;
  control(action: ControlAction): Record<string, unknown>;
  /** The JSON the `emulator` command prints. */
  connectionInfo(): Record<string, unknown>;
  close(): Promise<void>;
}

/** The data the emulator serves: a generated portal and its methods, or the caller's own methods. */
interface ServedData {
  portal: Portal | undefined;
  summary: () => Record<string, number>;
  dataMethods: Map<string, MethodDefinition>;
}

function servedData(options: EmulatorOptions, seed: number, clock: Clock): ServedData {
  if (options.methods) return { portal: undefined, summary: () => ({}), dataMethods: options.methods };
  const portal = generatePortal({
    seed,
    scale: options.scale ?? 1000,
    now: clock.now(),
    spaTypes: options.spaTypes ?? 2,
  });
  return { portal, summary: () => portalSummary(portal), dataMethods: buildMethodTable(portal) };
}

/** The data methods plus the system ones, less those the options say this portal lacks. */
function servedMethods(
  dataMethods: Map<string, MethodDefinition>,
  grants: ScopeGrants,
  variants: Variants,
  missingMethods: readonly string[] = [],
): Map<string, MethodDefinition> {
  const methods = new Map(dataMethods);
  for (const m of systemMethods(grants, () => methods)) methods.set(m.name, m);
  // A portal without these methods: lookups fail (ERROR_METHOD_NOT_FOUND, 404) and `methods`
  // does not list them. A name the emulator never served is a typo in a variant spec.
  for (const name of variants.missingMethods) {
    if (!methods.has(name)) throw new VariantSpecError(`missing-methods: no method "${name}" is served`);
  }
  for (const name of [...variants.missingMethods, ...missingMethods]) methods.delete(name.toLowerCase());
  return methods;
}

/** The shared state every request handler reads; `origin` is filled in once the server listens. */
function createCore(
  options: EmulatorOptions,
  seed: number,
  clock: Clock,
  served: { methods: Map<string, MethodDefinition>; grants: ScopeGrants; variants: Variants },
  access: AccessFilter | undefined,
): EmulatorCore {
  const core: EmulatorCore = {
    clock,
    methods: served.methods,
    grants: served.grants,
    budget: new OperatingBudget(options.operatingLimit ?? 480, clock),
    bucket: new RequestBucket(options.plan ?? 'standard', clock),
    stats: new StatsRecorder(),
    faults: new FaultInjector(options.faults, seed),
    webhook: new IncomingWebhook(
      options.webhookUserId ?? 1,
      options.webhookCode ?? deriveSecret(seed, 'webhook', 16),
    ),
    oauth: new OAuthServer(
      seed,
      clock,
      served.grants,
      options.tokenTtl ?? 3600,
      () => `${core.origin}${core.restPrefix}/rest/`,
      () => new URL(core.origin).host,
      { clientId: options.clientId, clientSecret: options.clientSecret },
    ),
    batchBilling: options.batchBilling ?? 'inner',
    jsonEscaping: options.jsonEscaping ?? 'raw',
    redirectUri: options.redirectUri,
    access,
    literalRefs: served.variants.literalRefs,
    restPrefix: '',
    origin: '',
  };
  return core;
}

async function listen(server: Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

function oauthConnection(core: EmulatorCore, origin: string): OAuthConnection {
  return {
    client_id: core.oauth.app.clientId,
    client_secret: core.oauth.app.clientSecret,
    portal_url: `${origin}/`,
    authorize_url: `${origin}/oauth/authorize/`,
    token_url: `${origin}/oauth/token/`,
    refresh_token: core.oauth.issueRefreshToken(),
  };
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const seed = options.seed ?? 1;
  const host = options.host ?? '127.0.0.1';
  const clock = new Clock(options.timeScale ?? 1, options.now ?? Date.now());
  const { portal, summary, dataMethods } = servedData(options, seed, clock);
  const variants = parseVariants(options.variants);
  const access = variants.shortPages ? new AccessFilter(seed) : undefined;
  const truth = (): Truth => (portal ? portalTruth(portal, access) : {});
  const grants = new ScopeGrants(options.scopes ?? ALL_SCOPES);
  const methods = servedMethods(dataMethods, grants, variants, options.missingMethods);

  const tls = options.tls ? await makeCertificate(options.caFile) : undefined;
  const scheme = tls ? 'https' : 'http';
  const publicHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const core = createCore(options, seed, clock, { methods, grants, variants }, access);
  const server = createEmulatorServer({ core, portalSummary: summary, truth, tls });
  const port = await listen(server, options.port ?? 0, host);
  const origin = `${scheme}://${publicHost.includes(':') ? `[${publicHost}]` : publicHost}:${port}`;
  core.origin = origin;
  const oauth = oauthConnection(core, origin);
  const webhookUrl = `${origin}/rest/${core.webhook.userId}/${core.webhook.code}/`;
  return {
    webhookUrl,
    oauth,
    port,
    baseUrl: origin,
    caFile: tls?.caFile,
    caPem: tls?.cert,
    portal,
    methods,
    clock,
    stats: () => core.stats.snapshot(),
    resetStats: () => core.stats.reset(),
    truth,
    control: (action) => applyControl(core, action),
    connectionInfo: () => ({ webhook_url: webhookUrl, oauth, port, ...(tls ? { ca_file: tls.caFile } : {}) }),
    close: async () => {
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      await tls?.removeFile();
    },
  };
}
