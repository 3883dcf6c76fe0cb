// Compares the simulator's contacts with what the script says they must hold, counting from their
// write history (every field of every write the CRM accepted, equal values included).
import { type ScriptedConversation } from './chaos-conversations';

export interface StoredContact {
  id: string;
  fields: Record<string, unknown>;
  history: Array<{ field: string; oldValue: unknown; newValue: unknown; conversationId?: string | null }>;
}

export interface AuditResult {
  /** Contacts whose fields differ from the expected state (lost update, wrong or stray value). */
  mismatches: string[];
  /** The conversations behind `mismatches`, for tracing where they stopped. */
  unconverged: Array<{ label: string; conversationId: string; contactId: string }>;
  /** A value written effectively (old ≠ new) more than once to the same field of a contact. */
  duplicates: string[];
  /** An effective write of a value the conversation never said for that field. */
  wrongField: string[];
  effectiveWrites: number;
  /** Writes that sent a field its current value (the writer should have skipped them). */
  redundantWrites: number;
  /** Contacts that saw more than one effective write of a field (a correction flushed in two steps). */
  intermediateValues: number;
}

export function auditContacts(
  scripts: Array<{ contactId: string; script: ScriptedConversation }>,
  stored: ReadonlyMap<string, StoredContact>,
): AuditResult {
  const result: AuditResult = {
    mismatches: [],
    unconverged: [],
    duplicates: [],
    wrongField: [],
    effectiveWrites: 0,
    redundantWrites: 0,
    intermediateValues: 0,
  };
  for (const { contactId, script } of scripts) {
    const contact = stored.get(contactId);
    const label = `contact ${script.index} (${script.kind}, ${contactId})`;
    const before = result.mismatches.length;
    if (!contact) {
      result.mismatches.push(`${label}: missing from the CRM`);
      result.unconverged.push({ label, conversationId: script.conversationId, contactId });
      continue;
    }
    const expectedFields: Record<string, unknown> = { ...script.seed };
    for (const [field, { final }] of Object.entries(script.expected)) expectedFields[field] = final;
    for (const field of new Set([...Object.keys(expectedFields), ...Object.keys(contact.fields)])) {
      const want = expectedFields[field] ?? null;
      const have = contact.fields[field] ?? null;
      if (want !== have)
        result.mismatches.push(
          `${label}: ${field} is ${JSON.stringify(have)}, expected ${JSON.stringify(want)}`,
        );
    }
    if (result.mismatches.length > before)
      result.unconverged.push({ label, conversationId: script.conversationId, contactId });
    const effectiveByField = new Map<string, unknown[]>();
    for (const entry of contact.history) {
      if (entry.oldValue === entry.newValue) {
        result.redundantWrites += 1;
        continue;
      }
      result.effectiveWrites += 1;
      const values = effectiveByField.get(entry.field) ?? [];
      if (values.includes(entry.newValue))
        result.duplicates.push(`${label}: ${entry.field} set to the same value again`);
      values.push(entry.newValue);
      effectiveByField.set(entry.field, values);
      const allowed = script.expected[entry.field]?.allowed ?? [];
      if (!allowed.includes(String(entry.newValue)))
        result.wrongField.push(`${label}: ${entry.field} was set to a value the conversation never gave it`);
    }
    for (const values of effectiveByField.values()) if (values.length > 1) result.intermediateValues += 1;
  }
  return result;
}

/** `crm_simulator_requests_total` from the simulator's /metrics, summed by status. */
export function requestsByStatus(metricsText: string): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const [, labels = '', value = '0'] of metricsText.matchAll(
    /^crm_simulator_requests_total\{([^}]*)\} (\S+)$/gm,
  )) {
    const status = /status="([^"]*)"/.exec(labels)?.[1] ?? '?';
    const operation = /operation="([^"]*)"/.exec(labels)?.[1] ?? '?';
    const key = `${status} ${operation}`;
    totals[key] = (totals[key] ?? 0) + Number(value);
  }
  return totals;
}
