import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';
import { tunnelAnswered, watchTlsOnTunnel, watchTunnelOpening } from './connectionPhases';
import { watchAgentRequest } from './staleConnection';

/**
 * Agents for the AWS SDK's HTTP/1.1 handler that reach their target through an HTTP proxy's CONNECT tunnel (Bedrock
 * behind a proxy: the SDK's default HTTP/2 connection takes none). The proxy is told the target's host and port
 * and nothing else: for an https target TLS runs end to end inside the tunnel, so the signed request and its
 * credentials are the target's alone to read. A plain-http target (a local gateway) is tunnelled too, never
 * handed to the proxy as a forwarded request, as Node's fetch does under NODE_USE_ENV_PROXY.
 *
 * The tunnel is opened on a socket with a CONNECT written here, not with http.request: in the VS Code extension
 * host http.request is patched to go through VS Code's own proxy agent, which would proxy the CONNECT again.
 */

/** A proxy that could not be reached, or would not open the tunnel: said with the proxy and the variable or setting that named it. */
export class ProxyTunnelError extends Error {
  override readonly name = 'ProxyTunnelError';
  constructor(
    message: string,
    /** The socket error's code (ECONNREFUSED…) when the proxy could not be reached; undefined when it answered no. */
    readonly code?: string,
  ) {
    super(message);
  }
}

export interface TunnelProxy {
  /** http://host:port of the proxy, credentials included where the user gave them (sent to the proxy alone). */
  url: string;
  /** The environment variable or setting that named it, for messages. */
  from: string;
}

type Created = (error: Error | null, socket?: Duplex) => void;
interface Target {
  host?: string | null;
  hostname?: string | null;
  port?: number | string | null;
}

/** http.Agent's own (not in its type): how a request is given a socket, new or kept alive. */
type AddRequest = (this: http.Agent, request: http.ClientRequest, options: object) => void;
const addRequestOf = (agent: typeof http.Agent) => (agent.prototype as unknown as { addRequest: AddRequest }).addRequest;

/**
 * A kept tunnel idle this long is not reused: it is closed, and the request opens a fresh one. A tunnel the proxy, a
 * NAT or a firewall dropped while it sat idle (an idle limit, a restart, a laptop that slept or changed networks)
 * often says nothing, no FIN, no reset; a request written into it waited for the first-token limit, read as the
 * model's silence, and rested the model. HTTP/1.1 has nothing like HTTP/2's PING to ask the far end with (Bedrock's
 * direct way checks its sessions so, bedrockSessions.ts, after the same spell), and TLS none Node can send, so an idle
 * tunnel is not trusted. A fresh one costs the CONNECT and a TLS handshake (the https agent resumes the TLS session),
 * only on a request after such a spell; a tunnel used within it is taken as it is (a time read per kept tunnel).
 * Not a setting: nothing a user would tune. Tests shorten it.
 */
export const tunnelReuse = { idleMs: 10_000 };

/** When each kept tunnel was last freed (performance.now()). */
const idleSince = new WeakMap<net.Socket, number>();

/**
 * Closes `agent`'s kept tunnels idle past `tunnelReuse.idleMs`, before a request is given one. Taken out of the free
 * list here: the agent takes the last freed first and checks only the first for being destroyed, so one left in the
 * list could be handed out. Not counted out here: the agent's own close listener counts every socket out of
 * `totalSocketCount` (which would go below zero, and hold `maxTotalSockets` no more, were it counted twice).
 */
export function closeIdleTunnels(agent: http.Agent): void {
  const now = performance.now();
  const free = agent.freeSockets as NodeJS.Dict<net.Socket[]>;
  for (const name in free) {
    const sockets = free[name]!;
    for (let index = sockets.length - 1; index >= 0; index--) {
      const socket = sockets[index]!;
      if (now - (idleSince.get(socket) ?? now) < tunnelReuse.idleMs) continue;
      sockets.splice(index, 1);
      socket.destroy();
    }
    if (sockets.length === 0) delete free[name];
  }
}

/** The HTTP/1.1 agent for plain-http targets: the tunnel's socket is the connection. */
export class TunnelHttpAgent extends http.Agent {
  constructor(private readonly proxy: TunnelProxy) {
    super({ keepAlive: true, maxSockets: 50 });
  }

  /**
   * Kept-alive tunnels a server closed as they were reused are asked again (staleConnection.ts); one idle too long
   * is not reused (closeIdleTunnels).
   */
  addRequest(request: http.ClientRequest, options: object): void {
    watchAgentRequest(request);
    closeIdleTunnels(this);
    addRequestOf(http.Agent).call(this, request, options);
  }

  /** A tunnel kept for the next request: when it went idle (closeIdleTunnels). */
  override keepSocketAlive(socket: net.Socket): void {
    // Returns what the agent's own does (whether it keeps the socket), which its type calls void.
    idleSince.set(socket, performance.now());
    return super.keepSocketAlive(socket);
  }

  override createConnection(options: Target, created: Created): undefined {
    openTunnel(this.proxy, options, 80, created);
    return undefined;
  }
}

/** The HTTP/1.1 agent for https targets: TLS to the target over the tunnel's socket. */
export class TunnelHttpsAgent extends https.Agent {
  constructor(private readonly proxy: TunnelProxy) {
    super({ keepAlive: true, maxSockets: 50 });
  }

  /** As TunnelHttpAgent's. */
  addRequest(request: http.ClientRequest, options: object): void {
    watchAgentRequest(request);
    closeIdleTunnels(this);
    addRequestOf(https.Agent as unknown as typeof http.Agent).call(this, request, options);
  }

  /** A tunnel kept for the next request: when it went idle (closeIdleTunnels). */
  override keepSocketAlive(socket: net.Socket): void {
    // Returns what the agent's own does (whether it keeps the socket), which its type calls void.
    idleSince.set(socket, performance.now());
    return super.keepSocketAlive(socket);
  }

  override createConnection(options: Target, created: Created): undefined {
    openTunnel(this.proxy, options, 443, (error, socket) => {
      if (error || !socket) return created(error ?? new ProxyTunnelError('no tunnel'));
      // https.Agent's own TLS connection (certificates, server name, session reuse), on the tunnel instead of a new socket.
      const connect = https.Agent.prototype.createConnection as unknown as (this: https.Agent, options: object) => Duplex;
      const secure = connect.call(this, { ...options, socket });
      // A first-token limit that runs out in this handshake is said as the handshake's (connectionPhases.ts).
      watchTlsOnTunnel(secure as net.Socket);
      created(null, secure);
    });
    return undefined;
  }
}

/** Longest proxy answer to a CONNECT read: a proxy that sends more is not one. */
const MAX_PROXY_HEAD = 16 * 1024;

function openTunnel(proxy: TunnelProxy, options: Target, defaultPort: number, done: (error: Error | null, socket?: net.Socket) => void): void {
  const proxyUrl = new URL(proxy.url);
  const label = `the proxy ${proxyUrl.host} (${proxy.from})`;
  const host = String(options.hostname ?? options.host ?? '');
  const authority = `${host.includes(':') ? `[${host}]` : host}:${Number(options.port) || defaultPort}`;
  const socket = net.connect({ host: proxyUrl.hostname.replace(/^\[|\]$/g, ''), port: Number(proxyUrl.port) || 80 });
  let head = Buffer.alloc(0);
  let settled = false;
  const settle = (error: Error | null) => {
    if (settled) return;
    settled = true;
    tunnelAnswered(socket);
    socket.off('data', onData);
    socket.off('error', onError);
    socket.off('close', onClose);
    if (error) {
      socket.destroy();
      done(error);
    } else done(null, socket);
  };
  const onError = (error: NodeJS.ErrnoException) => settle(new ProxyTunnelError(`${label} could not be reached (${error.code ?? error.message})`, error.code));
  const onClose = () => settle(new ProxyTunnelError(`${label} closed the connection before opening the tunnel to ${authority}`, 'ECONNRESET'));
  const onData = (chunk: Buffer) => {
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf('\r\n\r\n');
    if (end === -1) {
      if (head.length > MAX_PROXY_HEAD) settle(new ProxyTunnelError(`${label} sent no answer to CONNECT ${authority} that could be read`));
      return;
    }
    const statusLine = head.subarray(0, end).toString('latin1').split('\r\n')[0] ?? '';
    const status = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1];
    if (status !== '200') {
      const hint = status === '407' ? ': it asks for credentials; give them in the proxy URL (http://user:password@host:port)' : '';
      settle(new ProxyTunnelError(`${label} refused the tunnel to ${authority} ("${statusLine.slice(0, 120)}")${hint}`));
      return;
    }
    // Bytes past the proxy's answer are the target's; a server speaks only once asked, but none is lost if it did.
    const rest = head.subarray(end + 4);
    if (rest.length > 0) socket.unshift(rest);
    settle(null);
  };
  socket.on('data', onData);
  socket.on('error', onError);
  socket.on('close', onClose);
  socket.once('connect', () => {
    const credentials = proxyUrl.username || proxyUrl.password ? `${decodeURIComponent(proxyUrl.username)}:${decodeURIComponent(proxyUrl.password)}` : '';
    const authorization = credentials ? `Proxy-Authorization: Basic ${Buffer.from(credentials).toString('base64')}\r\n` : '';
    socket.write(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n${authorization}\r\n`);
    // Until the proxy answers, a first-token limit that runs out is said as its wait, not the model's.
    watchTunnelOpening(socket, authority);
  });
}
