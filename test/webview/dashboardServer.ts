import { build } from 'esbuild';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dashboardHtml } from '../../src/shared/dashboardProtocol';
import { newNonce } from '../../src/shared/webviewPage';
import { withFakeVsCodeApi } from './chatHarness';

const REPO = join(__dirname, '..', '..');

/**
 * The cost dashboard's page as the host makes it (the real bundle, built now,
 * under its CSP, with the fake VS Code API) served on 127.0.0.1: for the page
 * tests and the costs bench.
 */
export async function serveDashboardPage(options: { minify?: boolean } = {}): Promise<{ url: string; close(): Promise<void> }> {
  const bundleDir = await mkdtemp(join(tmpdir(), 'switchboard-dashboard-'));
  await build({ entryPoints: [join(REPO, 'src/webview/dashboard/main.ts')], bundle: true, minify: options.minify ?? false, format: 'iife', platform: 'browser', target: 'es2022', outfile: join(bundleDir, 'dashboard.js'), logLevel: 'error' });
  const [script, style] = await Promise.all([readFile(join(bundleDir, 'dashboard.js')), readFile(join(REPO, 'media/dashboard.css'))]);
  await rm(bundleDir, { recursive: true, force: true });
  const server = createServer((request, response) => {
    const origin = `http://${request.headers.host ?? '127.0.0.1'}`;
    if (request.url === '/dashboard.js') response.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    else if (request.url === '/dashboard.css') response.writeHead(200, { 'content-type': 'text/css' }).end(style);
    else if (request.url === '/page.html') {
      const nonce = newNonce();
      response.writeHead(200, { 'content-type': 'text/html' }).end(withFakeVsCodeApi(dashboardHtml({ cspSource: origin, nonce, scriptUri: '/dashboard.js', styleUri: '/dashboard.css' }), nonce));
    } else if (request.url === '/favicon.ico') response.writeHead(204).end();
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/page.html`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
