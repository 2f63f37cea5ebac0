/**
 * Which endpoint a request path names: REST calls by webhook (`/rest/{user}/{code}/{method}`) or
 * OAuth (`/rest/{method}`), optionally under a path prefix after the portal moved; the OAuth
 * endpoints; and the emulator's own control endpoints under `/_emulator/`.
 */

export type Route =
  | { kind: 'rest-webhook'; prefix: string; userId: string; code: string; method: string }
  | { kind: 'rest-oauth'; prefix: string; method: string }
  | { kind: 'rest-unknown'; prefix: string }
  | { kind: 'authorize' }
  | { kind: 'token' }
  | { kind: 'stats' }
  | { kind: 'stats-reset' }
  | { kind: 'portal' }
  | { kind: 'truth' }
  | { kind: 'control' }
  | { kind: 'not-found' };

function trimSlashes(path: string): string {
  return path.replace(/^\/+|\/+$/g, '');
}

export function route(pathname: string): Route {
  let path: string;
  try {
    path = decodeURIComponent(pathname);
  } catch {
    return { kind: 'not-found' };
  }
  const clean = `/${trimSlashes(path)}`;
  if (clean === '/oauth/authorize') return { kind: 'authorize' };
  if (clean === '/oauth/token') return { kind: 'token' };
  if (clean === '/_emulator/stats') return { kind: 'stats' };
  if (clean === '/_emulator/stats/reset') return { kind: 'stats-reset' };
  if (clean === '/_emulator/portal') return { kind: 'portal' };
  if (clean === '/_emulator/truth') return { kind: 'truth' };
  if (clean === '/_emulator/control') return { kind: 'control' };
  const at = path.indexOf('/rest/');
  if (at < 0) return { kind: 'not-found' };
  const prefix = path.slice(0, at);
  const segments = trimSlashes(path.slice(at + '/rest/'.length))
    .split('/')
    .filter(Boolean);
  if (segments.length === 3 && /^\d+$/.test(segments[0])) {
    return { kind: 'rest-webhook', prefix, userId: segments[0], code: segments[1], method: segments[2] };
  }
  if (segments.length === 1) return { kind: 'rest-oauth', prefix, method: segments[0] };
  return { kind: 'rest-unknown', prefix };
}
