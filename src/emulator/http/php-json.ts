/**
 * Answer bodies as a portal's PHP encodes them. Bitrix24 writes every REST answer with
 * `Bitrix\Main\Web\Json::encode`, i.e. PHP's json_encode with its default options
 * `JSON_HEX_TAG | JSON_HEX_AMP | JSON_HEX_APOS | JSON_HEX_QUOT` and without
 * `JSON_UNESCAPED_UNICODE` / `JSON_UNESCAPED_SLASHES`: every character beyond ASCII as `\uxxxx`
 * (UTF-16 units, lower-case hex), `/` as `\/`, and `<`, `>`, `&`, `'`, `"` inside strings as
 * `\u003C`, `\u003E`, `\u0026`, `\u0027`, `\u0022` (the doc examples show `[\/B]` and
 * `\u0022`, and elsewhere raw UTF-8). `raw` answers UTF-8 as JSON.stringify writes it.
 */

export type JsonEscaping = 'raw' | 'php';

/** An escape pair (consumed whole, so `\\` before a closing quote is never split), or a run to escape. */
const ESCAPED = /\\.|[\u0080-\uffff<>&'/]+/g;

const HEX_FLAGS: Record<string, string> = {
  '<': '\\u003C',
  '>': '\\u003E',
  '&': '\\u0026',
  "'": '\\u0027',
  '/': '\\/',
};

function escapeRun(run: string): string {
  if (run.charCodeAt(0) === 92 /* \ */) return run === '\\"' ? '\\u0022' : run;
  let out = '';
  for (let i = 0; i < run.length; i++) {
    const char = run[i];
    const code = run.charCodeAt(i);
    out += code < 0x80 ? HEX_FLAGS[char] : `\\u${code.toString(16).padStart(4, '0')}`;
  }
  return out;
}

/** JSON text (JSON.stringify's) in the portal's chosen escaping. */
export function escapeJson(text: string, escaping: JsonEscaping): string {
  return escaping === 'php' ? text.replace(ESCAPED, escapeRun) : text;
}

/** The JSON text of `value` in the portal's chosen escaping. */
export function encodeAnswer(value: unknown, escaping: JsonEscaping): string {
  return escapeJson(JSON.stringify(value), escaping);
}
