import http from 'node:http';
import net from 'node:net';
import { listenOnLoopback } from './loopbackServer';

/** A forward proxy on 127.0.0.1 that tunnels CONNECT to loopback ports and records what it was asked. */
export interface FakeProxy {
  url: string;
  /** `CONNECT host:port` per tunnel asked for, and `GET http://…` per plain request (refused with 405), in order. */
  readonly asked: string[];
  /** Every byte the clients sent into their tunnels, as the proxy saw them. */
  relayed(): Buffer;
  close(): Promise<void>;
}

/**
 * What HTTPS_PROXY points at in tests: Node's env proxy (NODE_USE_ENV_PROXY) tunnels both http and https
 * targets through CONNECT. Only 127.0.0.1 targets are tunnelled, so a test can never send anything off the machine.
 */
export async function startFakeProxy(): Promise<FakeProxy> {
  const asked: string[] = [];
  const relayed: Buffer[] = [];
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    // A peer that goes away mid-tunnel is no failure of the proxy.
    socket.on('error', () => socket.destroy());
  };
  const server = http.createServer((req, res) => {
    asked.push(`${req.method} ${req.url}`);
    req.resume();
    res.writeHead(405, { 'content-type': 'text/plain' });
    res.end('this fake proxy only tunnels (CONNECT)');
  });
  server.on('connection', track);
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    asked.push(`CONNECT ${req.url}`);
    const match = /^127\.0\.0\.1:(\d+)$/.exec(req.url ?? '');
    if (!match) {
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const upstream = net.connect(Number(match[1]), '127.0.0.1');
    track(upstream);
    let established = false;
    upstream.on('connect', () => {
      // The client may have left while the upstream connected: nothing is written to a closed socket.
      if (client.destroyed) {
        upstream.destroy();
        return;
      }
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      established = true;
      if (head.length > 0) upstream.write(head);
      relayed.push(head);
      client.on('data', (chunk: Buffer) => relayed.push(chunk));
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => {
      if (client.destroyed) return;
      // Inside an established tunnel a proxy adds no bytes of its own: the server's reset is passed on as one.
      if (established) client.resetAndDestroy();
      else client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  const port = await listenOnLoopback(server);
  return {
    url: `http://127.0.0.1:${port}`,
    asked,
    relayed: () => Buffer.concat(relayed),
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
