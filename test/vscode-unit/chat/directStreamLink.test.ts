import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { DirectStreamLink } from '../../../src/vscode/chat/directStreamLink';
import { DirectStreamServer } from '../../../src/vscode/chat/directStreamServer';

describe('the chat page and the direct stream server (switchboard.chat.directStream)', () => {
  let server: DirectStreamServer;
  let warnings: string[];
  let enabled: boolean;
  const log = { info: () => undefined, warn: (message: string) => warnings.push(message) };
  const link = (window = { remoteName: undefined as string | undefined, web: false }) => new DirectStreamLink(server, log, () => enabled, window);

  beforeEach(() => {
    server = new DirectStreamServer();
    warnings = [];
    enabled = true;
  });
  afterEach(() => server.close());

  it('names the listening port for a new page and offers answers on it; nothing with the setting off', async () => {
    const local = link();
    const origin = await local.originForNewPage();
    assert.match(origin ?? '', /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(origin, server.origin);
    assert.ok(local.offer()?.url.startsWith(`${origin}/answer/`));
    enabled = false;
    assert.equal(local.offer(), undefined);
    assert.equal(local.pageOutdated, true, 'the page is rebuilt without the port');
    assert.equal(await local.originForNewPage(), undefined);
    assert.equal(local.pageOutdated, false);
  });

  it('never in a desktop remote window (its page reaches the desktop, not this host); in a browser workbench, yes', async () => {
    assert.equal(await link({ remoteName: 'ssh-remote', web: false }).originForNewPage(), undefined);
    assert.equal(server.listeningPort, undefined, 'no port opened');
    assert.ok(await link({ remoteName: 'localhost:8080', web: true }).originForNewPage());
  });

  it('offers nothing to a page whose policy names a port the server no longer listens on', async () => {
    const local = link();
    await local.originForNewPage();
    await server.close();
    await server.open();
    assert.equal(local.offer(), undefined);
  });

  it('says a failure once per kind, with the page\'s reason cleaned of control characters', () => {
    const local = link();
    local.failed('TypeError: Failed to fetch\u001b[31m');
    local.failed('TypeError: Failed to fetch\u001b[31m');
    local.failed('the stream ended before its last chunk');
    assert.equal(warnings.length, 2);
    assert.ok(!warnings.some((warning) => warning.includes('\u001b')));
  });

  it('when the server cannot listen, says so once and builds pages without a port, not again at every settings change', async () => {
    // A port already taken: the listen fails as any would.
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const failing = new DirectStreamServer({ port: (blocker.address() as AddressInfo).port });
    const broken = new DirectStreamLink(failing, log, () => enabled, { remoteName: undefined, web: false });
    assert.equal(await broken.originForNewPage(), undefined);
    assert.equal(broken.pageOutdated, false);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /could not listen.*EADDRINUSE/);
    assert.equal(broken.offer(), undefined);
    blocker.close();
  });
});
