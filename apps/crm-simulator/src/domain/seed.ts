// Demo contacts present at boot and after a reset, unless configuration replaces them.
import { type ContactSeed } from './contact';

export interface SeedSet {
  salesforce: ContactSeed[];
  dynamics: ContactSeed[];
}

export const DEFAULT_SEED: SeedSet = {
  salesforce: [
    {
      id: '003000000000001AAA',
      fields: { FirstName: 'Ada', LastName: 'Lovelace', Email: 'ada@example.com', Phone: '+14155550132' },
    },
    {
      id: '003000000000002AAA',
      fields: { FirstName: 'Alan', LastName: 'Turing', Email: 'alan@example.com', Phone: '+14155550133' },
    },
    {
      id: '003000000000003AAA',
      fields: { FirstName: 'Grace', LastName: 'Hopper', Email: 'grace@example.com', Phone: '+14155550134' },
    },
  ],
  dynamics: [
    {
      id: '00000000-0000-0000-0000-000000000001',
      fields: {
        firstname: 'Ada',
        lastname: 'Lovelace',
        emailaddress1: 'ada@example.com',
        telephone1: '+14155550132',
      },
    },
    {
      id: '00000000-0000-0000-0000-000000000002',
      fields: {
        firstname: 'Alan',
        lastname: 'Turing',
        emailaddress1: 'alan@example.com',
        telephone1: '+14155550133',
      },
    },
    {
      id: '00000000-0000-0000-0000-000000000003',
      fields: {
        firstname: 'Grace',
        lastname: 'Hopper',
        emailaddress1: 'grace@example.com',
        telephone1: '+14155550134',
      },
    },
  ],
};
