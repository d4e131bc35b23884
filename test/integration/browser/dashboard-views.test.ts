import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, launchChromium } from '../../helpers/chromium.js';

import { TOKEN, webApp } from '../web/stub-api.js';

const noBrowser = chromiumMissing();

/**
 * The dashboard's views in Chromium in front of the stand-in API, for what the one-site demo does
 * not show: the portfolio of several communities, a non-routine flag instead of a figure, shadow
 * spaces as "would have saved", and server strings kept as text.
 */
let app: FastifyInstance;
let base: string;
let browser: Browser;

beforeAll(async () => {
  if (noBrowser) return;
  app = await webApp({ twoSites: true });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  mkdirSync('test-output', { recursive: true });
  browser = await launchChromium();
});
afterAll(async () => {
  if (noBrowser) return;
  await browser?.close();
  await app?.close();
});

describe.skipIf(noBrowser)('the dashboard’s views', () => {
  it('lists several communities, keeps names as text, and flags a non-routine month instead of a figure', async () => {
    const page = await browser.newPage({ locale: 'en-US' });
    await page.goto(base);
    await page.locator('input[name="token"]').fill('wrong');
    await page.locator('form[data-testid="signin"] button[type="submit"]').click();
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('That token was not accepted.');
    await page.locator('input[name="token"]').fill(TOKEN);
    await page.locator('form[data-testid="signin"] button[type="submit"]').click();
    await page.getByTestId('portfolio').waitFor();
    const cards = page.getByTestId('portfolio').locator('section');
    expect(await cards.count()).toBe(2);
    expect(await cards.nth(0).locator('h3').textContent()).toBe('Maple <Court>');
    expect(await page.locator('court').count()).toBe(0);
    expect(await cards.nth(0).locator('.big').textContent()).toBe('250 kWh');
    expect(await cards.nth(1).textContent()).toContain('non-routine change');
    expect(await cards.nth(1).locator('.big').count()).toBe(0);
    await page.screenshot({ path: join('test-output', 'views-portfolio.png'), fullPage: true });

    await cards.nth(0).locator('h3 a').click();
    await page.getByTestId('month-measured').waitFor();
    expect(await page.getByTestId('month-measured-kwh').textContent()).toBe('250 kWh');
    expect(await page.getByTestId('month-measured-method').textContent()).toBe(
      'measured by randomized on/off days, 90% interval ±50 kWh',
    );
    // To date spans months: asked for as one period, so it keeps an interval.
    expect(await page.getByTestId('todate-measured-kwh').textContent()).toBe('900 kWh');
    expect(await page.getByTestId('todate-measured-method').textContent()).toBe(
      'measured by randomized on/off days, 90% interval ±120 kWh',
    );
    // The shadow estimate is flagged non-routine: the flag, escaped, and no number.
    const shadow = page.getByTestId('month-estimated');
    expect(await shadow.textContent()).toContain('Not reported: a non-routine change');
    expect(await shadow.locator('li').textContent()).toBe('gym <b>refit</b> on 06-25');
    expect(await shadow.locator('b').count()).toBe(0);
    expect(await page.getByTestId('space-row-gym').textContent()).toContain('would have saved 40 kWh');
    await page.screenshot({ path: join('test-output', 'views-site.png'), fullPage: true });
    await page.close();
  });
});
