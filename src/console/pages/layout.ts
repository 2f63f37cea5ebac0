/** The page frame every console page shares, and HTML escaping. */

export function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A tagged template whose `${}` values are escaped unless wrapped in `raw()`. */
export class Raw {
  constructor(readonly html: string) {}
}

export function raw(html: string): Raw {
  return new Raw(html);
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Raw {
  let out = strings[0];
  values.forEach((value, i) => {
    if (value instanceof Raw) out += value.html;
    else if (Array.isArray(value)) out += value.map((v) => (v instanceof Raw ? v.html : esc(v))).join('');
    else out += esc(value);
    out += strings[i + 1];
  });
  return new Raw(out);
}

/** A stream as the page shows it: its title (a smart process's own) with the name beside it. */
export function streamLabel(stream: string, titles: Record<string, string> | undefined): Raw {
  const title = titles?.[stream];
  return title ? html`${title} <span class="stream-name">${stream}</span>` : html`${stream}`;
}

export interface PageFrame {
  title: string;
  csrf: string;
  body: Raw;
  /** Scripts under /assets/ to load at the end of the body. */
  scripts?: string[];
  nav?: 'sources' | 'new';
}

export function page(frame: PageFrame): string {
  const scripts = (frame.scripts ?? []).map((s) => html`<script src="/assets/${s}"></script>`);
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csrf-token" content="${frame.csrf}">
<title>${frame.title} · tap-bitrix24</title>
<link rel="stylesheet" href="/assets/console.css">
</head>
<body>
<header class="top"><a class="brand" href="/sources">tap-bitrix24</a>
<nav><a href="/sources"${raw(frame.nav === 'sources' ? ' aria-current="page"' : '')}>Sources</a>
<a href="/sources/new" class="button small"${raw(frame.nav === 'new' ? ' aria-current="page"' : '')}>Add source</a></nav></header>
<main>${frame.body}</main>
${scripts}
</body>
</html>`.html;
}

/** A small POST form (one button) carrying the CSRF token. */
export function postButton(action: string, label: string, csrf: string, className = 'button'): Raw {
  return html`<form method="post" action="${action}" class="inline"><input type="hidden" name="_csrf" value="${csrf}"><button class="${className}" type="submit">${label}</button></form>`;
}

export function formatTime(iso: string | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().replace('T', ' ').slice(0, 19)} UTC`;
}
