// /__admin: reset, seed and delete contacts, set faults, expire tokens, read the log and the store.
import { z } from 'zod';
import { type ContactRecord } from '../domain/contact';
import { type CrmSimulator } from '../crm-simulator';
import { faultConfigSchema } from '../faults/fault-config';
import {
  emptyResponse,
  jsonResponse,
  parseJsonBody,
  type SimRequest,
  type SimResponse,
} from '../http/sim-http';

const provider = z.enum(['salesforce', 'dynamics']);
const fieldValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const seedSchema = z.object({
  provider,
  contacts: z.array(
    z.object({
      id: z.string().optional(),
      fields: z.record(z.string(), fieldValue),
      deleted: z.boolean().optional(),
    }),
  ),
});

function invalid(message: string): SimResponse {
  return jsonResponse(400, { error: message }, 'application/json');
}

function ok(body: unknown, status = 200): SimResponse {
  return jsonResponse(status, body, 'application/json');
}

export function recordView(record: ContactRecord): Record<string, unknown> {
  return {
    id: record.id,
    deleted: record.deleted,
    fields: record.fields,
    lastModified: new Date(record.lastModifiedAt).toISOString(),
    version: record.version,
    history: record.history,
  };
}

function parse<T>(req: SimRequest, schema: z.ZodType<T>): { value: T } | { error: SimResponse } {
  const json = parseJsonBody(req.body === '' ? '{}' : req.body);
  if (!json.ok) return { error: invalid(json.message) };
  const result = schema.safeParse(json.value);
  if (!result.success)
    return {
      error: invalid(
        result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '),
      ),
    };
  return { value: result.data };
}

export function handleAdmin(sim: CrmSimulator, req: SimRequest): SimResponse {
  const route = `${req.method} ${req.path.replace(/^\/__admin/, '')}`;
  const { store, faults, tokens } = sim.ctx;
  const contact = /^(GET|DELETE) \/contacts\/(salesforce|dynamics)\/([^/]+)$/.exec(route);
  if (contact) {
    const [, method, which = 'salesforce', id = ''] = contact;
    const found = store.get(which as 'salesforce' | 'dynamics', id);
    if (found === undefined) return jsonResponse(404, { error: 'no such contact' }, 'application/json');
    if (method === 'GET') return ok(recordView(found));
    store.markDeleted(found.provider, found.id);
    return emptyResponse(204);
  }
  switch (route) {
    case 'POST /reset':
      sim.reset();
      return emptyResponse(204);
    case 'GET /store':
      return ok({
        salesforce: store.list('salesforce').map(recordView),
        dynamics: store.list('dynamics').map(recordView),
      });
    case 'POST /contacts': {
      const parsed = parse(req, seedSchema);
      if ('error' in parsed) return parsed.error;
      try {
        const contacts = store.seed(
          parsed.value.provider,
          parsed.value.contacts.map((seed) => ({
            fields: seed.fields,
            ...(seed.id === undefined ? {} : { id: seed.id }),
            ...(seed.deleted === undefined ? {} : { deleted: seed.deleted }),
          })),
        );
        return ok({ contacts: contacts.map((record) => ({ id: record.id })) }, 201);
      } catch (error) {
        return invalid(error instanceof Error ? error.message : String(error));
      }
    }
    case 'GET /requests': {
      const which = provider.safeParse(req.query.get('provider'));
      const since = Number(req.query.get('since') ?? '0');
      return ok({
        requests: sim.log.list({
          provider: which.success ? which.data : undefined,
          sinceSeq: Number.isFinite(since) ? since : 0,
        }),
      });
    }
    case 'DELETE /requests':
      sim.log.clear();
      return emptyResponse(204);
    case 'GET /faults':
      return ok(faults.current());
    case 'PUT /faults': {
      const parsed = parse(req, faultConfigSchema);
      if ('error' in parsed) return parsed.error;
      faults.set(parsed.value);
      return ok(faults.current());
    }
    case 'DELETE /faults':
      faults.set({});
      return emptyResponse(204);
    case 'POST /tokens/expire':
      tokens.expireAll();
      return emptyResponse(204);
    case 'GET /stats':
      return ok({
        tokensIssued: tokens.issued(),
        apiUsage: faults.current().apiUsage,
        dailyApiLimit: faults.dailyApiLimit(),
        requests: sim.log.list().length,
      });
    default:
      return jsonResponse(404, { error: `no admin route ${route}` }, 'application/json');
  }
}
