import type { JobListFilter, JobListing } from '../../jobs/index.ts';
import { JOB_STATUSES } from './filter.ts';
import { batchesOf, formatDuration, isActive, jobMode } from './format.ts';
import { type Html, html } from './html.ts';
import { page, statusLabel } from './layout.ts';

function filterForm(f: JobListFilter): Html {
  const option = (value: string, label: string) =>
    html`<option value="${value}"${(f.status ?? '') === value ? html` selected` : ''}>${label}</option>`;
  const input = (key: 'partner' | 'project' | 'name', label: string) =>
    html`<label>${label}<input name="${key}" value="${f[key] ?? ''}"></label>`;
  return html`<form class="filters" method="get" action="/jobs">
<label>Status<select name="status">${option('', 'any')}${JOB_STATUSES.map((s) => option(s, s))}</select></label>
${input('name', 'Name')}${input('partner', 'Partner')}${input('project', 'Project')}
<label>Hours<input name="hours" type="number" min="1" value="${f.hours}"></label>
<button type="submit">Find</button>
</form>`;
}

function row(j: JobListing, now: number): Html {
  const job = j.json;
  const batches = batchesOf(job);
  const records = batches.reduce((sum, b) => sum + b.recordCount, 0);
  const end = j.finishedAt ?? (isActive(job.status) ? now : null);
  const duration = j.startedAt !== null && end !== null ? formatDuration(end - j.startedAt) : '';
  return html`<tr data-job="${job.id}">
<td>${job.startTime}</td>
<td><a href="/jobs/${job.id}">${job.name ?? html`<span class="muted">(no name)</span>`}</a></td>
<td>${statusLabel(String(job.status))}</td>
<td>${jobMode(j.stateful, batches)}</td>
<td>${job.partner ?? ''}</td>
<td>${job.project ?? ''}</td>
<td class="num">${duration}</td>
<td class="num">${batches.length}</td>
<td class="num">${records}</td>
</tr>`;
}

/**
 * The Job Finder's list: a filter form and the tenant's jobs, newest first. Reloads itself while a
 * listed job runs.
 * @example renderJobList({ tenantName: 'demo', filter, jobs: jobs.list(tenant, filter), now: Date.now() }).text
 */
export function renderJobList(opts: {
  tenantName: string;
  filter: JobListFilter;
  jobs: readonly JobListing[];
  now: number;
}): Html {
  const { filter, jobs } = opts;
  const body = html`<p class="muted">Tenant ${opts.tenantName} · jobs of the last ${filter.hours} hours, newest first</p>
${filterForm(filter)}
${
  jobs.length === 0
    ? html`<p class="empty">No jobs match.</p>`
    : html`<table id="jobs">
<thead><tr><th>Started</th><th>Name</th><th>Status</th><th>Mode</th><th>Partner</th><th>Project</th><th>Duration</th><th>Batches</th><th>Records</th></tr></thead>
<tbody>
${jobs.map((j) => row(j, opts.now))}
</tbody>
</table>`
}`;
  return page({ title: 'Jobs', refresh: jobs.some((j) => isActive(j.json.status)), body });
}
