/** The emulator's shared state, handed to the server, `batch` and system methods. */

import type { IncomingWebhook, ScopeGrants } from './auth/credentials.js';
import type { OAuthServer } from './auth/oauth.js';
import type { Clock } from './clock.js';
import type { FaultInjector } from './faults.js';
import type { JsonEscaping } from './http/php-json.js';
import type { OperatingBudget } from './limits/operating-budget.js';
import type { RequestBucket } from './limits/request-bucket.js';
import type { MethodDefinition } from './methods/contract.js';
import type { AccessFilter } from './short-pages.js';
import type { StatsRecorder } from './stats.js';

/** `inner`: each batch command billed to its own method (docs); `batch`: the whole batch to `batch`. */
export type BatchBilling = 'inner' | 'batch';

export interface EmulatorCore {
  readonly clock: Clock;
  /** Data methods and system methods, keyed by lower-case name. */
  readonly methods: Map<string, MethodDefinition>;
  readonly grants: ScopeGrants;
  readonly budget: OperatingBudget;
  readonly bucket: RequestBucket;
  readonly stats: StatsRecorder;
  readonly faults: FaultInjector;
  readonly webhook: IncomingWebhook;
  readonly oauth: OAuthServer;
  readonly batchBilling: BatchBilling;
  /** How answer bodies escape text (http/php-json.ts). */
  readonly jsonEscaping: JsonEscaping;
  readonly redirectUri: string | undefined;
  /** `short-pages`: capped pages and rows hidden from list answers; undefined by default. */
  readonly access: AccessFilter | undefined;
  /** `literal-refs`: unresolved references cast as PHP does in numeric filters. */
  readonly literalRefs: boolean;
  /** Path before `/rest/`; '' until the portal is moved. */
  restPrefix: string;
  /** `http://host:port`, known once the server listens. */
  origin: string;
}
