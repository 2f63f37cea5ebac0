/**
 * Injected transport faults, so clients can be tested against a misbehaving portal. A spec like
 * `5xx=0.05,html=0.02,reset=0.01,slow=0.02:3000,malformed=0.01,truncated=0.01` gives a rate per
 * /rest/ request for each kind; draws come from a PRNG seeded by `--seed`, one draw per request,
 * so the same seed and request sequence give the same faults.
 */

export const FAULT_KINDS = ['5xx', 'html', 'reset', 'slow', 'malformed', 'truncated'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultSpec {
  rates: Partial<Record<FaultKind, number>>;
  /** Real ms a `slow` fault delays the answer. */
  slowMs: number;
}

export class FaultSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FaultSpecError';
  }
}

export function parseFaultSpec(spec: string | undefined): FaultSpec {
  const out: FaultSpec = { rates: {}, slowMs: 3000 };
  if (!spec) return out;
  let total = 0;
  for (const part of spec
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [name, value] = part.split('=');
    if (!(FAULT_KINDS as readonly string[]).includes(name) || value === undefined) {
      throw new FaultSpecError(`unknown fault "${part}"; kinds are ${FAULT_KINDS.join(', ')}`);
    }
    const [rateText, msText] = value.split(':');
    const rate = Number(rateText);
    if (!(rate >= 0 && rate <= 1)) throw new FaultSpecError(`fault rate must be within 0..1: "${part}"`);
    out.rates[name as FaultKind] = rate;
    total += rate;
    if (name === 'slow' && msText !== undefined) {
      const ms = Number(msText);
      if (!(ms >= 0)) throw new FaultSpecError(`slow delay must be a non-negative ms count: "${part}"`);
      out.slowMs = ms;
    }
  }
  if (total > 1) throw new FaultSpecError('fault rates add up to more than 1');
  return out;
}

/** mulberry32: small, fast and good enough for reproducible fault sequences. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FaultDecision {
  kind: FaultKind;
  /** A second draw the injector uses to pick a variant (which 5xx status, where to truncate). */
  variant: number;
}

export class FaultInjector {
  private random: () => number;
  private spec: FaultSpec;

  constructor(
    spec: string | undefined,
    private readonly seed: number,
  ) {
    this.spec = parseFaultSpec(spec);
    this.random = mulberry32(seed ^ 0x5eed);
  }

  /** Replaces the spec and restarts the sequence, so a test gets the same faults each time. */
  setSpec(spec: string | undefined): void {
    this.spec = parseFaultSpec(spec);
    this.random = mulberry32(this.seed ^ 0x5eed);
  }

  get slowMs(): number {
    return this.spec.slowMs;
  }

  /** Draws the fault for the next /rest/ request, or null. Always consumes two draws. */
  next(): FaultDecision | null {
    const u = this.random();
    const variant = this.random();
    let edge = 0;
    for (const kind of FAULT_KINDS) {
      edge += this.spec.rates[kind] ?? 0;
      if (u < edge) return { kind, variant };
    }
    return null;
  }
}

const NGINX_PAGE = (status: number, title: string) =>
  `<html>\r\n<head><title>${status} ${title}</title></head>\r\n<body>\r\n<center><h1>${status} ${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;

/** The raw answer a fault sends instead of (or in place of) the real one. */
export function faultAnswer(
  decision: FaultDecision,
  realBody: string,
): { status: number; body: string; contentType: string } | null {
  switch (decision.kind) {
    case '5xx':
      if (decision.variant < 0.5) {
        return {
          status: 500,
          body: JSON.stringify({
            error: 'INTERNAL_SERVER_ERROR',
            error_description: 'Internal server error',
          }),
          contentType: 'application/json; charset=utf-8',
        };
      }
      return decision.variant < 0.75
        ? { status: 502, body: NGINX_PAGE(502, 'Bad Gateway'), contentType: 'text/html' }
        : { status: 504, body: NGINX_PAGE(504, 'Gateway Time-out'), contentType: 'text/html' };
    case 'html':
      return decision.variant < 0.5
        ? { status: 200, body: NGINX_PAGE(200, 'OK'), contentType: 'text/html' }
        : { status: 502, body: NGINX_PAGE(502, 'Bad Gateway'), contentType: 'text/html' };
    case 'malformed':
      return {
        status: 200,
        body: `{"result":${realBody.slice(0, 20)}]]}`,
        contentType: 'application/json; charset=utf-8',
      };
    case 'truncated': {
      const cut = Math.max(1, Math.floor(realBody.length * (0.1 + decision.variant * 0.8)));
      return {
        status: 200,
        body: realBody.slice(0, Math.min(cut, realBody.length - 1)),
        contentType: 'application/json; charset=utf-8',
      };
    }
    default:
      return null;
  }
}
