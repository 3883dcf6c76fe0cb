import { chromium, type Browser } from 'playwright-core';
import { waitFor } from '@crm/testing';
import { startCrmSimulator, type RunningCrmSimulator } from '../start-simulator';
import { ADA_SF, patchJson, SF_API, salesforceToken } from '../testing/wire';

describe('contacts page in headless Chromium', () => {
  let sut: RunningCrmSimulator;
  let browser: Browser;

  beforeAll(async () => {
    sut = await startCrmSimulator({ port: 0 });
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  });
  afterAll(async () => {
    await browser.close();
    await sut.close();
  });

  it('lists the contacts of both CRMs with their fields', async () => {
    const page = await browser.newPage();
    await page.goto(sut.url);

    expect(await page.locator('section.contact[data-provider="salesforce"]').count()).toBe(3);
    expect(await page.locator('section.contact[data-provider="dynamics"]').count()).toBe(3);
    expect(await page.locator(`section[data-id="${ADA_SF}"] td[data-field="Email"]`).textContent()).toBe(
      'ada@example.com',
    );
    await page.close();
  });

  it('shows a write made while the page is open, with its conversation and old → new, after the auto-refresh', async () => {
    const page = await browser.newPage();
    await page.goto(sut.url);
    const token = await salesforceToken(sut.url);
    await fetch(
      `${sut.url}${SF_API}/sobjects/Contact/${ADA_SF}`,
      patchJson(token, { Email: 'ada@new.example', Last_Conversation_Id__c: 'conv-<b>42</b>' }),
    );

    const history = page.locator(`section[data-id="${ADA_SF}"] table.history tbody tr`);
    await waitFor(async () => (await history.first().textContent())?.includes('conv-<b>42</b>'), {
      timeoutMs: 10_000,
      description: 'the page to refresh with the write',
    });
    const rows = await history.allTextContents();

    expect(
      rows.some(
        (row) =>
          row.includes('Email') &&
          row.includes('ada@example.com → ada@new.example') &&
          row.includes('conv-<b>42</b>'),
      ),
    ).toBe(true);
    expect(await page.locator('b').count()).toBe(0);
    await page.close();
  });
});
