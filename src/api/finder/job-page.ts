import { resultFileName } from '../../client/file-names.ts';
import { type BatchView, batchesOf, isActive, jobMode } from './format.ts';
import { Html, html } from './html.ts';
import { page, statusLabel } from './layout.ts';

/** The Finder's download links of a batch: one file, or its segments numbered from 1. */
export function batchFiles(job: Record<string, unknown>, b: BatchView): { id: string; name: string }[] {
  const format = String(job.format ?? 'CSV');
  const encrypted = job.encrypted === 'pgp';
  if (b.segments) {
    return b.segments.map((id, i) => ({
      id,
      name: resultFileName(b.name, format, { segment: i + 1, encrypted }),
    }));
  }
  return b.fileId ? [{ id: b.fileId, name: resultFileName(b.name, format, { encrypted }) }] : [];
}

function batchRow(job: Record<string, unknown>, b: BatchView): Html {
  const files = batchFiles(job, b).map(
    (f) =>
      html`<a class="download" href="/jobs/${job.id}/files/${f.id}" download="${f.name}">${f.name}</a><br>`,
  );
  return html`<tr data-batch="${b.batchId ?? ''}">
<td>${b.name}</td>
<td>${statusLabel(b.status)}</td>
<td>${b.full ? 'full' : 'incremental'}</td>
<td class="num">${b.recordCount}</td>
<td>${b.message ?? ''}</td>
<td><pre>${b.query}</pre></td>
<td>${files}</td>
</tr>`;
}

/** Sends DELETE to the page's own address, holding the page's reloads until it is answered. */
const CANCEL_SCRIPT = `document.getElementById('cancel').addEventListener('click', async (e) => {
  e.target.disabled = true;
  window.openaquaHoldRefresh = true;
  try {
    await fetch(location.pathname, { method: 'DELETE' });
  } finally {
    location.reload();
  }
});`;

/**
 * One job: its fields, each batch's query, status, message, record count and downloads, and a Cancel
 * button while it runs (a script sending DELETE to the page's own address). Reloads itself while it runs.
 * @example renderJobPage({ job: jobs.get(tenant, id)!, stateful: false }).text
 */
export function renderJobPage(opts: { job: Record<string, unknown>; stateful: boolean }): Html {
  const job = opts.job;
  const batches = batchesOf(job);
  const active = isActive(job.status);
  const field = (label: string, value: unknown) =>
    value === undefined || value === null ? '' : html`<dt>${label}</dt><dd>${value}</dd>`;
  const body = html`<h2>${job.name ?? html`<span class="muted">(no name)</span>`} ${statusLabel(String(job.status))}</h2>
<dl>
${field('Job id', job.id)}${field('Started', job.startTime)}${field('Mode', jobMode(opts.stateful, batches))}
${field('Partner', job.partner)}${field('Project', job.project)}${field('Format', job.format)}
${field('Version', job.version)}${field('Encrypted', job.encrypted)}
</dl>
${
  active
    ? html`<p><button id="cancel" type="button">Cancel job</button></p>
<script>${new Html(CANCEL_SCRIPT)}</script>`
    : ''
}
<table id="batches">
<thead><tr><th>Batch</th><th>Status</th><th>Load</th><th>Records</th><th>Message</th><th>Query</th><th>Files</th></tr></thead>
<tbody>
${batches.map((b) => batchRow(job, b))}
</tbody>
</table>
<p><a href="/jobs">All jobs</a></p>`;
  return page({ title: String(job.name ?? job.id), refresh: active, body });
}
