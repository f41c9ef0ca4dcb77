import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { DirectStreamLink } from '../../../src/vscode/chat/directStreamLink';
import { DirectStreamServer } from '../../../src/vscode/chat/directStreamServer';

/** A chat view: the link knows a page by the view it is in. */
const PAGE = { view: 'the chat panel' };

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
    const origin = await local.originForNewPage(PAGE);
    assert.match(origin ?? '', /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(origin, server.origin);
    assert.ok(local.offer()?.url.startsWith(`${origin}/answer/`));
    enabled = false;
    assert.equal(local.offer(), undefined);
    assert.equal(local.pageOutdated, true, 'the page is rebuilt without the port');
    assert.equal(await local.originForNewPage(PAGE), undefined);
    assert.equal(local.pageOutdated, false);
  });

  it('never in a desktop remote window (its page reaches the desktop, not this host); in a browser workbench, yes', async () => {
    assert.equal(await link({ remoteName: 'ssh-remote', web: false }).originForNewPage(PAGE), undefined);
    assert.equal(server.listeningPort, undefined, 'no port opened');
    assert.ok(await link({ remoteName: 'localhost:8080', web: true }).originForNewPage(PAGE));
  });

  it("a view disposed after a newer one's page was built leaves that page its stream and its hold on the port", async () => {
    // The panel moved (or a second chat view opened): the new view's page is built before the old view is disposed.
    const idleClosing = new DirectStreamServer({ idleCloseMs: 0 });
    try {
      const local = new DirectStreamLink(idleClosing, log, () => enabled, { remoteName: undefined, web: false });
      const oldView = { view: 'old' };
      const newView = { view: 'new' };
      await local.originForNewPage(oldView);
      const origin = await local.originForNewPage(newView);
      local.pageGone(oldView);
      const stream = local.offer();
      assert.ok(stream, 'the current page still streams direct');
      assert.ok(stream.url.startsWith(`${origin}/answer/`));
      stream.abandon();
      // The page's hold keeps the port open with no answer; released, the idle close (idleCloseMs 0) would be timed at
      // the abandon above, and a 0 ms timer set after it fires after it (Node runs timers of one duration in order).
      await new Promise((resolve) => setTimeout(resolve, 0));
      assert.equal(idleClosing.origin, origin, 'the port stays open under the live page');
      local.pageGone(newView);
      assert.equal(local.offer(), undefined, 'the current view disposed: nothing direct');
    } finally {
      await idleClosing.close();
    }
  });

  it('a view disposed while its page waited for the server to open holds nothing', async () => {
    const local = link();
    const page = { view: 'disposed early' };
    const building = local.originForNewPage(page);
    local.pageGone(page);
    assert.equal(await building, undefined);
    assert.equal(local.offer(), undefined);
  });

  it('offers nothing to a page whose policy names a port the server no longer listens on', async () => {
    const local = link();
    await local.originForNewPage(PAGE);
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
    assert.equal(await broken.originForNewPage(PAGE), undefined);
    assert.equal(broken.pageOutdated, false);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /could not listen.*EADDRINUSE/);
    assert.equal(broken.offer(), undefined);
    blocker.close();
  });
});
