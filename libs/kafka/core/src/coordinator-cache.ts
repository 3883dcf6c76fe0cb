// kafkajs 2.2.4 sends a FindCoordinator request before every step of a transaction: before
// AddPartitionsToTxn, AddOffsetsToTxn and EndTxn (transaction coordinator) and before
// TxnOffsetCommit (group coordinator). That is four extra broker round trips on every commit, nine
// in all instead of five, and as many extra requests for the broker to handle. The Java client
// keeps the coordinator it found until a request fails.
//
// This keeps each answer for a short time instead, per kafkajs client: each client has its own
// internal Cluster, and the answers are held per Cluster, so a client that is thrown away takes
// its answers with it. Failed lookups are not kept. When the coordinator moves within that time,
// the next transaction step goes to the old one and fails with NOT_COORDINATOR: the transaction
// aborts, and the service's failure path (the aggregator drops the producer and creates a new
// one) starts again from a fresh lookup. Exactly-once does not depend on where a request is sent:
// a broker that is not the coordinator refuses it.
/** How long a coordinator answer is reused by default. */
export const DEFAULT_COORDINATOR_TTL_MS = 1_000;

interface CoordinatorLookup {
  readonly groupId: string;
  readonly coordinatorType?: number;
}

type LookupMethod = (this: object, lookup: CoordinatorLookup) => Promise<unknown>;

interface Cached {
  readonly at: number;
  readonly answer: Promise<unknown>;
}

/**
 * Wraps a coordinator lookup method so that, per receiver (`this`), the same group id and
 * coordinator type within `ttlMs` share one lookup. A lookup that fails is forgotten at once.
 */
export function memoizeCoordinatorLookup(
  lookup: LookupMethod,
  ttlMs: number,
  now: () => number = Date.now,
): LookupMethod {
  const answers = new WeakMap<object, Map<string, Cached>>();
  return function cachedLookup(this: object, params: CoordinatorLookup): Promise<unknown> {
    let byKey = answers.get(this);
    if (byKey === undefined) {
      byKey = new Map();
      answers.set(this, byKey);
    }
    const key = `${params.coordinatorType ?? 0}:${params.groupId}`;
    const cached = byKey.get(key);
    if (cached !== undefined && now() - cached.at < ttlMs) return cached.answer;
    const entries = byKey;
    const answer = lookup.call(this, params);
    const entry: Cached = { at: now(), answer };
    entries.set(key, entry);
    answer.catch(() => {
      if (entries.get(key) === entry) entries.delete(key);
    });
    return answer;
  };
}

const INSTALLED = Symbol.for('crm.kafka-core.coordinator-cache');

interface ClusterPrototype {
  findGroupCoordinatorMetadata: LookupMethod;
  [INSTALLED]?: number;
}

/**
 * Makes every kafkajs client of this process reuse coordinator answers for `ttlMs` (see the file
 * comment). Idempotent; the first call's TTL stays. Patches kafkajs' internal Cluster class, whose
 * layout is pinned by the lockfile (kafkajs 2.2.4, the last release): a test checks it is still
 * there.
 */
export function cacheCoordinatorLookups(ttlMs: number = DEFAULT_COORDINATOR_TTL_MS): void {
  const prototype = kafkajsClusterPrototype();
  if (prototype[INSTALLED] !== undefined) return;
  prototype.findGroupCoordinatorMetadata = memoizeCoordinatorLookup(
    prototype.findGroupCoordinatorMetadata,
    ttlMs,
  );
  prototype[INSTALLED] = ttlMs;
}

/** The TTL installed by cacheCoordinatorLookups, or undefined when it was not called. */
export function coordinatorCacheTtl(): number | undefined {
  return kafkajsClusterPrototype()[INSTALLED];
}

function kafkajsClusterPrototype(): ClusterPrototype {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- an internal module, untyped
  const Cluster = require('kafkajs/src/cluster') as { prototype: ClusterPrototype };
  if (typeof Cluster.prototype.findGroupCoordinatorMetadata !== 'function')
    throw new Error('kafkajs Cluster has no findGroupCoordinatorMetadata: the coordinator cache needs updating');
  return Cluster.prototype;
}
