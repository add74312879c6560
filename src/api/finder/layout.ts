import { Html, html } from './html.ts';

/** Seconds between reloads of a page that shows a running job. */
export const REFRESH_SECONDS = 3;

/**
 * Reloads the page every REFRESH_SECONDS, except while the filter form has the focus or holds edits
 * not yet submitted (a reload would throw them away) and once a script sets `openaquaHoldRefresh`
 * (the Cancel button does, so that no reload can cut its request short). Without scripts the
 * `<noscript>` meta refresh reloads instead.
 */
const REFRESH_SCRIPT = `document.addEventListener('DOMContentLoaded', () => {
  const form = document.querySelector('form.filters');
  let edited = false;
  if (form) form.addEventListener('input', () => { edited = true; });
  setInterval(() => {
    if (window.openaquaHoldRefresh || edited) return;
    if (form && form.contains(document.activeElement)) return;
    location.reload();
  }, ${REFRESH_SECONDS * 1000});
});`;

const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #1d232b; }
h1 { font-size: 1.3rem; } h1 a { color: inherit; text-decoration: none; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
th, td { text-align: left; padding: .35rem .6rem; border-bottom: 1px solid #dde1e6; vertical-align: top; }
th { background: #f3f5f7; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.status { font-weight: 600; } .completed { color: #19692c; } .aborted, .error { color: #a4161a; }
.executing, .submitted { color: #8a5a00; } .cancelled { color: #5c6670; }
form.filters { display: flex; gap: .6rem; flex-wrap: wrap; align-items: end; }
form.filters label { display: flex; flex-direction: column; font-size: .85rem; }
pre { white-space: pre-wrap; margin: 0; font-size: .85rem; } .muted { color: #5c6670; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
dt { color: #5c6670; }
`;

/**
 * A whole Finder page: title, style, and a reload every few seconds while something on it still runs.
 * @example page({ title: 'Jobs', refresh: true, body: html`<p>…</p>` }).text
 */
export function page(opts: { title: string; refresh: boolean; body: Html }): Html {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${
  opts.refresh
    ? html`<noscript><meta http-equiv="refresh" content="${REFRESH_SECONDS}"></noscript>
<script>${new Html(REFRESH_SCRIPT)}</script>`
    : ''
}
<title>${opts.title} · openaqua Job Finder</title>
<style>${new Html(STYLE)}</style>
</head>
<body>
<h1><a href="/jobs">openaqua Job Finder</a></h1>
${opts.body}
</body>
</html>
`;
}

/** A status as a coloured label. */
export function statusLabel(status: string): Html {
  return html`<span class="status ${status}">${status}</span>`;
}
