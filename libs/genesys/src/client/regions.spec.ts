import { genesysEndpoints, GENESYS_REGION_DOMAINS } from './regions';

describe(genesysEndpoints.name, () => {
  it('derives api and login hosts from the region domain', () => {
    expect(genesysEndpoints({ region: 'eu_west_1' })).toEqual({
      apiBaseUrl: 'https://api.mypurecloud.ie',
      loginBaseUrl: 'https://login.mypurecloud.ie',
    });
    expect(genesysEndpoints({ region: 'us_west_2' }).loginBaseUrl).toBe('https://login.usw2.pure.cloud');
  });

  it('maps every documented region, including the frankfurt and sydney legacy domains', () => {
    expect(GENESYS_REGION_DOMAINS.eu_central_1).toBe('mypurecloud.de');
    expect(GENESYS_REGION_DOMAINS.ap_southeast_2).toBe('mypurecloud.com.au');
    expect(Object.keys(GENESYS_REGION_DOMAINS)).toHaveLength(18);
  });

  it('lets explicit base URLs override the region and strips a trailing slash', () => {
    const sut = genesysEndpoints({
      region: 'us_east_1',
      apiBaseUrl: 'http://127.0.0.1:3999/',
      loginBaseUrl: 'http://127.0.0.1:3998',
    });
    expect(sut).toEqual({ apiBaseUrl: 'http://127.0.0.1:3999', loginBaseUrl: 'http://127.0.0.1:3998' });
  });

  it('refuses settings that name neither a region nor both base URLs', () => {
    expect(() => genesysEndpoints({ apiBaseUrl: 'http://127.0.0.1:3999' })).toThrow(/region or both/);
  });
});
