/**
 * What the dashboard's first load transfers, as the browser counts it (Chromium's encoded bytes per
 * response, so compression counts), signed in with a viewer token, from an empty cache.
 */
import { launchChromium } from '../../test/helpers/chromium.js';

export interface FirstLoad {
  readonly requests: number;
  readonly transferredBytes: number;
  readonly decodedBytes: number;
  readonly loadMs: number;
}

export async function measureFirstLoad(baseUrl: string, token: string): Promise<FirstLoad> {
  const browser = await launchChromium();
  try {
    const context = await browser.newContext();
    // Sign in as the page does, so the cookie is the page's own.
    const signIn = await context.request.post(`${baseUrl}/api/v1/session`, { data: { token } });
    if (!signIn.ok()) throw new Error(`sign-in failed: ${signIn.status()} ${await signIn.text()}`);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    let requests = 0;
    let transferredBytes = 0;
    let decodedBytes = 0;
    cdp.on('Network.loadingFinished', (e) => {
      requests++;
      transferredBytes += e.encodedDataLength;
    });
    cdp.on('Network.dataReceived', (e) => {
      decodedBytes += e.dataLength;
    });
    const started = performance.now();
    await page.goto(`${baseUrl}/`, { waitUntil: 'networkidle' });
    const loadMs = performance.now() - started;
    return { requests, transferredBytes, decodedBytes, loadMs };
  } finally {
    await browser.close();
  }
}
