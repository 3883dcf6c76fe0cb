// Everything a handler needs, built once per simulator instance.
import { type TokenRegistry } from './auth/token-registry';
import { type ContactStore } from './domain/contact-store';
import { type SeedSet } from './domain/seed';
import { type FaultEngine } from './faults/fault-engine';

export interface SimulatorSettings {
  salesforce: {
    clientId: string;
    clientSecret: string;
    /** The one refresh token the simulator honours (only web-server flows get refresh tokens). */
    refreshToken: string;
    /** The docs leave the status of an upsert that updates open: 200 with a body (newer) or 204 (older). */
    upsertUpdateStatus: 200 | 204;
    externalIdFields: string[];
  };
  dynamics: {
    clientId: string;
    clientSecret: string;
    /** Alternate keys defined on the contact table, each a set of columns. */
    alternateKeys: string[][];
  };
  seed: SeedSet;
}

export interface SimContext {
  store: ContactStore;
  faults: FaultEngine;
  tokens: TokenRegistry;
  settings: SimulatorSettings;
  now: () => number;
}
