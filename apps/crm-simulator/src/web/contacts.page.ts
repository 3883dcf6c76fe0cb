// GET /: the contacts of both CRMs, their fields and the history of writes, as plain HTML that
// refreshes itself (the demo leaves it open while the pipeline writes).
import { type ContactRecord, type FieldValue } from '../domain/contact';
import { type CrmSimulator } from '../crm-simulator';

const REFRESH_SECONDS = 2;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function show(value: FieldValue): string {
  return value === null ? '<span class="null">∅</span>' : escapeHtml(String(value));
}

function contactSection(record: ContactRecord): string {
  const fields = Object.entries(record.fields)
    .map(
      ([field, value]) =>
        `<tr><th>${escapeHtml(field)}</th><td data-field="${escapeHtml(field)}">${show(value)}</td></tr>`,
    )
    .join('');
  const history = [...record.history]
    .reverse()
    .map(
      (entry) =>
        `<tr><td>${escapeHtml(entry.at)}</td><td>${escapeHtml(entry.conversationId ?? '—')}</td><td>${escapeHtml(entry.field)}</td><td>${show(entry.oldValue)} → ${show(entry.newValue)}</td><td>${escapeHtml(entry.via)}</td></tr>`,
    )
    .join('');
  return `<section class="contact${record.deleted ? ' deleted' : ''}" data-provider="${record.provider}" data-id="${escapeHtml(record.id)}">
<h3>${escapeHtml(record.id)}${record.deleted ? ' (deleted)' : ''}</h3>
<table class="fields">${fields}</table>
<table class="history"><thead><tr><th>when</th><th>conversation</th><th>field</th><th>old → new</th><th>via</th></tr></thead><tbody>${history || '<tr><td colspan="5">no writes yet</td></tr>'}</tbody></table>
</section>`;
}

export function renderContactsPage(sim: CrmSimulator): string {
  const sections = (['salesforce', 'dynamics'] as const)
    .map((provider) => {
      const records = sim.ctx.store.list(provider);
      return `<h2>${provider === 'salesforce' ? 'Salesforce' : 'Dynamics 365'} (${records.length})</h2>${records.map(contactSection).join('\n')}`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="${REFRESH_SECONDS}">
<title>CRM simulator</title>
<style>
body{font-family:system-ui,sans-serif;margin:1.5rem;color:#222}
section.contact{border:1px solid #ccc;border-radius:6px;padding:.5rem 1rem;margin:.75rem 0}
section.deleted{opacity:.5}
table{border-collapse:collapse;margin:.25rem 0}
th,td{text-align:left;padding:.15rem .6rem;border-bottom:1px solid #eee;font-size:.9rem}
.null{color:#999}
</style></head>
<body><h1>CRM simulator</h1><p>Refreshes every ${REFRESH_SECONDS} s. API usage: ${escapeHtml(sim.ctx.faults.limitInfo())}.</p>
${sections}
</body></html>`;
}
