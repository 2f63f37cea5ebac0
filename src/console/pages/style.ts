/** The console's one stylesheet: system font, plain colours, a clear stepper. */
export const CONSOLE_CSS = `
:root { --ink:#1f2937; --muted:#6b7280; --line:#e5e7eb; --bg:#f9fafb; --accent:#2563eb; --ok:#15803d; --bad:#b91c1c; --warn:#b45309; }
* { box-sizing: border-box; }
body { margin:0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color:var(--ink); background:var(--bg); }
header.top { display:flex; justify-content:space-between; align-items:center; padding:10px 24px; background:#fff; border-bottom:1px solid var(--line); }
header.top nav { display:flex; gap:16px; align-items:center; }
a { color:var(--accent); text-decoration:none; } a:hover { text-decoration:underline; }
.brand { font-weight:700; color:var(--ink); }
main { max-width:1100px; margin:24px auto; padding:0 24px; }
h1 { font-size:22px; margin:0 0 16px; } h2 { font-size:17px; margin:24px 0 10px; } h3 { font-size:15px; margin:16px 0 8px; }
.card { background:#fff; border:1px solid var(--line); border-radius:8px; padding:16px 20px; margin-bottom:16px; }
table.grid { width:100%; border-collapse:collapse; background:#fff; }
table.grid th, table.grid td { text-align:left; padding:6px 10px; border-bottom:1px solid var(--line); vertical-align:top; }
table.grid th { font-weight:600; color:var(--muted); font-size:12px; text-transform:uppercase; letter-spacing:.03em; }
table.grid td.num, table.grid th.num { text-align:right; font-variant-numeric: tabular-nums; }
.button, button { display:inline-block; font:inherit; padding:6px 14px; border-radius:6px; border:1px solid var(--accent); background:var(--accent); color:#fff; cursor:pointer; }
.button.secondary, button.secondary { background:#fff; color:var(--accent); }
.button.danger, button.danger { background:var(--bad); border-color:var(--bad); }
.button.small { padding:3px 10px; font-size:13px; color:#fff; }
button:disabled { opacity:.5; cursor:default; }
form.inline { display:inline; }
.actions { display:flex; gap:10px; flex-wrap:wrap; align-items:center; }
#sources td:last-child .actions { flex-wrap:nowrap; white-space:nowrap; }
label { display:block; font-weight:600; margin:12px 0 4px; }
label.check { font-weight:400; display:flex; gap:8px; align-items:center; margin:6px 0; }
input[type=text], input[type=url], input[type=number], input[type=password], input[type=search], select, textarea { font:inherit; padding:6px 8px; border:1px solid #d1d5db; border-radius:6px; width:100%; max-width:560px; background:#fff; }
td input[type=text], td select { max-width:none; padding:3px 6px; }
#stream-settings select { min-width:130px; }
.hint { color:var(--muted); font-size:12.5px; margin-top:3px; }
.error { color:var(--bad); background:#fef2f2; border:1px solid #fecaca; padding:8px 12px; border-radius:6px; margin:10px 0; }
.notice { color:#1e3a8a; background:#eff6ff; border:1px solid #bfdbfe; padding:8px 12px; border-radius:6px; margin:10px 0; }
.status { font-weight:600; padding:1px 8px; border-radius:10px; font-size:12px; }
.status.ok, .status.done { background:#dcfce7; color:var(--ok); }
.status.failed, .status.unavailable, .status.drift { background:#fee2e2; color:var(--bad); }
.status.running { background:#dbeafe; color:#1d4ed8; }
.status.waiting, .status.never, .status.skipped, .status.not_counted { background:#f3f4f6; color:var(--muted); }
ol.stepper { display:flex; list-style:none; padding:0; margin:0 0 20px; gap:4px; counter-reset:step; }
ol.stepper li { flex:1; padding:8px 10px; border-bottom:3px solid var(--line); color:var(--muted); counter-increment:step; font-size:13px; }
ol.stepper li::before { content: counter(step) ". "; font-weight:700; }
ol.stepper li.current { border-color:var(--accent); color:var(--ink); font-weight:600; }
ol.stepper li.done { border-color:#93c5fd; color:var(--ink); }
.step[hidden] { display:none; }
.group { border:1px solid var(--line); border-radius:8px; margin:10px 0; background:#fff; }
.group > header { display:flex; justify-content:space-between; padding:8px 12px; background:#f3f4f6; border-radius:8px 8px 0 0; font-weight:600; }
.group ul { list-style:none; margin:0; padding:6px 12px; columns: 3 220px; }
.group li { break-inside: avoid; padding:2px 0; }
.group li.unavailable { color:var(--muted); }
.group li .why { display:block; font-size:12px; color:var(--warn); margin-left:24px; }
.muted { color:var(--muted); }
dl.terms { display:grid; grid-template-columns:max-content 1fr; gap:2px 10px; margin:10px 0; font-size:12.5px; }
dl.terms dt { font-weight:600; } dl.terms dd { margin:0; color:var(--muted); }
.stream-name { color:var(--muted); font-size:12px; margin-left:4px; font-family:ui-monospace, monospace; }
.counter { font-size:12px; color:var(--muted); }
.wizard-nav { display:flex; justify-content:space-between; margin-top:20px; }
.summary dl { display:grid; grid-template-columns: 220px 1fr; gap:6px 12px; margin:0; }
.summary dt { color:var(--muted); } .summary dd { margin:0; }
#preview td { white-space:nowrap; max-width:320px; overflow:hidden; text-overflow:ellipsis; }
.scroll { overflow-x:auto; }
svg.relations { background:#fff; border:1px solid var(--line); border-radius:8px; }
svg.relations .node rect { fill:#eff6ff; stroke:#93c5fd; }
svg.relations .node text { font: 12px system-ui, sans-serif; fill:#1e3a8a; }
svg.relations .folder { font: 600 12px system-ui, sans-serif; fill:#6b7280; text-transform:uppercase; }
svg.relations .edge { fill:none; stroke:#9ca3af; stroke-width:1.3; }
details summary { cursor:pointer; }
.kpis { display:flex; gap:24px; margin:8px 0 16px; }
.kpis div { background:#fff; border:1px solid var(--line); border-radius:8px; padding:8px 14px; }
.kpis b { display:block; font-size:18px; }
`;
