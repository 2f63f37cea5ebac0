/** Bitrix requires HTTPS (`INVALID_REQUEST` "Https required"); plain http is allowed only on loopback. */
import { ConfigError } from '../errors.js';

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/** Parses a portal/webhook/token URL, refusing plain http to anything but loopback. */
export function checkedUrl(text: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(what, `${what} is not a valid URL`);
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && LOOPBACK.test(url.hostname)) return url;
  if (url.protocol === 'http:') {
    throw new ConfigError(
      what,
      `${what} must use https:// (Bitrix24 requires HTTPS); plain http is allowed only on loopback`,
    );
  }
  throw new ConfigError(what, `${what} must be an https:// URL`);
}
