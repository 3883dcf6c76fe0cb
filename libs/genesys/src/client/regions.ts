// Genesys Cloud regions and their host domains (PureCloudRegionHosts of the official SDK). Every
// base URL stays overridable so tests and the demo point the client at the fake.
export const GENESYS_REGION_DOMAINS = {
  us_east_1: 'mypurecloud.com',
  us_west_2: 'usw2.pure.cloud',
  us_east_2: 'use2.us-gov-pure.cloud',
  ca_central_1: 'cac1.pure.cloud',
  sa_east_1: 'sae1.pure.cloud',
  mx_central_1: 'mxc1.pure.cloud',
  eu_west_1: 'mypurecloud.ie',
  eu_west_2: 'euw2.pure.cloud',
  eu_central_1: 'mypurecloud.de',
  eu_central_2: 'euc2.pure.cloud',
  eusc_de_east_1: 'edee1.eusc-pure.cloud',
  me_central_1: 'mec1.pure.cloud',
  ap_south_1: 'aps1.pure.cloud',
  ap_southeast_1: 'apse1.pure.cloud',
  ap_southeast_2: 'mypurecloud.com.au',
  ap_northeast_1: 'mypurecloud.jp',
  ap_northeast_2: 'apne2.pure.cloud',
  ap_northeast_3: 'apne3.pure.cloud',
} as const;

export type GenesysRegion = keyof typeof GENESYS_REGION_DOMAINS;

export const GENESYS_REGIONS = Object.keys(GENESYS_REGION_DOMAINS) as [GenesysRegion, ...GenesysRegion[]];

export interface GenesysEndpoints {
  /** `https://api.{domain}`, no trailing slash. */
  apiBaseUrl: string;
  /** `https://login.{domain}`, no trailing slash. */
  loginBaseUrl: string;
}

export interface GenesysEndpointSettings {
  region?: GenesysRegion | undefined;
  apiBaseUrl?: string | undefined;
  loginBaseUrl?: string | undefined;
}

/** Explicit base URLs win over the region; at least one of the two must say where to go. */
export function genesysEndpoints(settings: GenesysEndpointSettings): GenesysEndpoints {
  const domain = settings.region ? GENESYS_REGION_DOMAINS[settings.region] : undefined;
  const apiBaseUrl = settings.apiBaseUrl ?? (domain ? `https://api.${domain}` : undefined);
  const loginBaseUrl = settings.loginBaseUrl ?? (domain ? `https://login.${domain}` : undefined);
  if (!apiBaseUrl || !loginBaseUrl) {
    throw new Error('Genesys endpoints need a region or both an API and a login base URL');
  }
  return { apiBaseUrl: stripSlash(apiBaseUrl), loginBaseUrl: stripSlash(loginBaseUrl) };
}

function stripSlash(url: string): string {
  return url.endsWith('/') ? url.slice(0, -1) : url;
}
