import { existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { Browser, chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Resource kinds as the page weight reports them (Chromium's resource types, folded). */
export const KINDS = ['html', 'css', 'js', 'font', 'image', 'other'] as const;
export type Kind = (typeof KINDS)[number];

const KIND_OF: Record<string, Kind> = {
  Document: 'html',
  Stylesheet: 'css',
  Script: 'js',
  Font: 'font',
  Image: 'image',
};

export interface Resource {
  url: string;
  kind: Kind;
  status: number;
  /** The body as the page uses it (decoded). */
  bytes: number;
  /** Bytes over the wire, headers included (Chromium's encodedDataLength). */
  transfer: number;
  /** The Content-Encoding the server sent, if any. */
  encoding: string | null;
  /** The body gzipped at level 6: what a compressing server or proxy would send. */
  gzipBytes: number;
}

export interface PageWeight {
  path: string;
  resources: Resource[];
  byKind: Record<Kind, { count: number; bytes: number }>;
  bytes: number;
  transfer: number;
  gzipBytes: number;
  /** Whether any response came compressed. */
  compressed: boolean;
}

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--disable-sync'],
  });
}

/**
 * Loads one page in a fresh browser context (an empty cache) with the given session cookie, waits until the
 * network is idle (fonts and module scripts included), and sums every response the page made, by kind.
 */
export async function measurePageWeight(
  browser: Browser,
  baseUrl: string,
  path: string,
  cookie: { name: string; value: string },
  // The server sits behind a TLS proxy in production: its session cookie is Secure and set only over https.
  headers: Record<string, string>,
): Promise<PageWeight> {
  const context = await browser.newContext({ extraHTTPHeaders: headers });
  try {
    await context.addCookies([{ ...cookie, url: baseUrl, httpOnly: true, secure: true, sameSite: 'Lax' }]);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    const seen = new Map<string, Omit<Resource, 'bytes' | 'gzipBytes'>>();
    const finished: string[] = [];
    cdp.on('Network.responseReceived', (e) => {
      const encoding = Object.entries(e.response.headers).find(([h]) => h.toLowerCase() === 'content-encoding');
      seen.set(e.requestId, {
        url: e.response.url,
        kind: KIND_OF[e.type] ?? 'other',
        status: e.response.status,
        transfer: 0,
        encoding: encoding ? String(encoding[1]) : null,
      });
    });
    cdp.on('Network.loadingFinished', (e) => {
      const resource = seen.get(e.requestId);
      if (!resource) return;
      resource.transfer = e.encodedDataLength;
      finished.push(e.requestId);
    });
    const response = await page.goto(`${baseUrl}${path}`, { waitUntil: 'networkidle' });
    if (!response || response.status() !== 200 || new URL(page.url()).pathname !== path.split('?')[0]) {
      throw new Error(`${path} answered ${response?.status()} at ${page.url()}: is the session signed in?`);
    }
    const resources: Resource[] = [];
    for (const id of finished) {
      const resource = seen.get(id)!;
      const { body, base64Encoded } = await cdp.send('Network.getResponseBody', { requestId: id });
      const buffer = Buffer.from(body, base64Encoded ? 'base64' : 'utf8');
      resources.push({ ...resource, bytes: buffer.length, gzipBytes: gzipSync(buffer, { level: 6 }).length });
    }
    const byKind = Object.fromEntries(KINDS.map((k) => [k, { count: 0, bytes: 0 }])) as PageWeight['byKind'];
    for (const r of resources) {
      byKind[r.kind].count++;
      byKind[r.kind].bytes += r.bytes;
    }
    const sum = (f: (r: Resource) => number) => resources.reduce((total, r) => total + f(r), 0);
    return {
      path,
      resources,
      byKind,
      bytes: sum((r) => r.bytes),
      transfer: sum((r) => r.transfer),
      gzipBytes: sum((r) => r.gzipBytes),
      compressed: resources.some((r) => r.encoding !== null && r.encoding !== 'identity'),
    };
  } finally {
    await context.close();
  }
}
