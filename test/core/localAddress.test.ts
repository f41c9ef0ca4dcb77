import assert from 'node:assert/strict';
import { isLocalUrl } from '../../src/core/credentials';
import { ipv4Kind, ipv6Kind, localTarget, resolvedLocalTarget } from '../../src/core/localAddress';

const target = (href: string) => localTarget(new URL(href));

describe('links to this computer or the local network', () => {
  it('finds loopback in every form the browser reads as 127.0.0.1 or ::1', () => {
    for (const href of [
      'http://127.0.0.1:8080/admin/reset',
      'http://127.1/',
      'http://2130706433/',
      'http://0x7f000001/',
      'http://0x7f.0.0.1/',
      'http://0177.0.0.1/',
      'http://017700000001/',
      'http://127.255.255.254/',
      'http://[::1]:3000/',
      'http://[0:0:0:0:0:0:0:1]/',
      'http://[::ffff:127.0.0.1]/',
      'http://[::ffff:7f00:1]/',
      'http://localhost/',
      'http://LOCALHOST./',
      'https://app.localhost:5173/',
      'http://0.0.0.0:8000/',
      'http://0/',
      'http://[::]/',
      'http://user:pass@127.0.0.1/',
      'http://github.com@127.0.0.1/',
    ]) {
      const found = target(href);
      assert.ok(found, href);
      assert.match(found.what, /this computer/, href);
    }
    assert.equal(target('http://2130706433/')!.host, '127.0.0.1');
    assert.equal(target('http://[::ffff:127.0.0.1]/')!.host, '[::ffff:7f00:1]');
  });

  it('finds private, shared, link-local and local-name hosts', () => {
    for (const href of [
      'http://10.0.0.1/',
      'http://172.16.0.1/',
      'http://172.31.255.255/',
      'http://192.168.1.1/cgi-bin/reboot',
      'http://3232235777/',
      'http://100.100.1.1/',
      'http://169.254.169.254/latest/meta-data/',
      'http://[fe80::1]/',
      'http://[fd12:3456::1]/',
      'http://[::ffff:192.168.0.1]/',
      'http://router.local/',
      'http://nas.home.arpa/',
      'http://metadata.google.internal/',
      'http://printer.lan/',
      'http://router/',
    ]) {
      assert.ok(target(href), href);
    }
    assert.match(target('http://169.254.169.254/')!.what, /link-local/);
  });

  it('finds an IPv4 address inside IPv6 in its translated and NAT64 forms, by the IPv4 rule', () => {
    for (const href of ['http://[::ffff:0:7f00:1]/', 'http://[::ffff:0:192.168.0.1]/', 'http://[64:ff9b::127.0.0.1]/', 'http://[64:ff9b::a9fe:a9fe]/latest/meta-data/']) {
      assert.ok(target(href), href);
    }
    assert.match(target('http://[64:ff9b::a9fe:a9fe]/')!.what, /link-local/);
    assert.equal(target('http://[64:ff9b::808:808]/'), undefined, 'a public IPv4 address through NAT64 is public');
    assert.equal(target('http://[::ffff:0:808:808]/'), undefined);
  });

  it('is the classification the key rule uses too: a server needs no key exactly where a link would be asked about', () => {
    for (const href of [
      'http://0x7f.1/', 'http://2130706433/', 'http://0.0.0.0/', 'http://[::]/', 'http://LOCALHOST./', 'http://[::ffff:7f00:1]/', 'http://[::127.0.0.1]/',
      'http://100.64.0.1/', 'http://169.254.169.254/', 'http://[fd00::1]/', 'http://[fe80::1]/', 'http://[64:ff9b::10.0.0.1]/', 'http://printer.lan/',
      'http://gpu.corp/', 'http://router/', 'https://example.com/', 'http://8.8.8.8/', 'https://[2606:4700::1111]/', 'https://localhost.example.com/',
    ]) {
      assert.equal(isLocalUrl(href), target(href) !== undefined, href);
    }
  });

  it('leaves public hosts alone', () => {
    for (const href of ['https://example.com/docs?a=1', 'https://github.com/org/repo', 'http://8.8.8.8/', 'https://172.32.0.1/', 'https://[2606:4700::1111]/', 'https://xn--nxasmq6b.com/', 'https://localhost.example.com/', 'https://192.169.0.1/']) {
      assert.equal(target(href), undefined, href);
    }
  });

  it('reads IPv4 and IPv6 addresses as DNS gives them', () => {
    assert.match(ipv4Kind('127.0.0.1')!, /loopback/);
    assert.equal(ipv4Kind('93.184.216.34'), undefined);
    assert.equal(ipv4Kind('not.an.ip.address'), undefined);
    assert.match(ipv6Kind('::1')!, /loopback/);
    assert.match(ipv6Kind('fe80::abcd')!, /link-local/);
    assert.equal(ipv6Kind('2001:db8::1:2:3:4:5:6:7'), undefined);
    assert.equal(ipv6Kind('2a00:1450:4001:82b::200e'), undefined);
  });

  it('finds a public-looking name that resolves to loopback, and gives up on a lookup that takes too long', async () => {
    const resolvesTo = (address: string, family: number) => async () => [{ address, family }];
    assert.match((await resolvedLocalTarget(new URL('http://127.0.0.1.nip.io/'), 1_000, resolvesTo('127.0.0.1', 4)))!.what, /resolves to 127\.0\.0\.1, a loopback address/);
    assert.match((await resolvedLocalTarget(new URL('http://rebind.example/'), 1_000, resolvesTo('::1', 6)))!.what, /resolves to ::1/);
    assert.equal(await resolvedLocalTarget(new URL('https://example.com/'), 1_000, resolvesTo('93.184.216.34', 4)), undefined);
    assert.equal(await resolvedLocalTarget(new URL('https://example.com/'), 1_000, () => Promise.reject(new Error('ENOTFOUND'))), undefined);
    assert.equal(await resolvedLocalTarget(new URL('https://example.com/'), 20, () => new Promise(() => undefined)), undefined);
    // An address needs no lookup: the name-free check decides it.
    assert.equal(await resolvedLocalTarget(new URL('http://8.8.8.8/'), 1_000, () => Promise.reject(new Error('not asked'))), undefined);
  });
});
