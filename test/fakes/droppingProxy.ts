import net from 'node:net';
import { listenOnLoopback } from './loopbackServer';

/**
 * A TCP relay on 127.0.0.1 in front of a server, standing for a NAT or firewall between client and server. `drop()`
 * plays what one does to the connections it forgets (an idle timeout, a restart, a network change): their packets
 * just vanish. Nothing is sent either way from then on, no FIN, no RST, and neither side is told; bytes written into a
 * dropped connection are read here and thrown away, as a network that lost the route would. Connections opened after
 * the drop are relayed as before.
 */
export interface DroppingProxy {
  /** host:port to give the client in place of the server's. */
  readonly port: number;
  /** Connections the relay accepted so far. */
  readonly accepted: number;
  /** Bytes the client sent into dropped connections, never delivered. */
  readonly swallowed: number;
  /** Forgets every connection open now: from here on they carry nothing, and nobody is told. */
  drop(): void;
  close(): Promise<void>;
}

export async function startDroppingProxy(targetPort: number): Promise<DroppingProxy> {
  const open = new Set<{ client: net.Socket; upstream: net.Socket; dropped: boolean }>();
  let accepted = 0;
  let swallowed = 0;
  const server = net.createServer((client) => {
    accepted++;
    const upstream = net.connect(targetPort, '127.0.0.1');
    const pair = { client, upstream, dropped: false };
    open.add(pair);
    // Relayed by hand, not piped: a dropped pair must stop at once, with nothing in flight written after.
    client.on('data', (chunk: Buffer) => (pair.dropped ? (swallowed += chunk.length) : upstream.write(chunk)));
    upstream.on('data', (chunk: Buffer) => void (pair.dropped || client.write(chunk)));
    const end = () => {
      // A dropped connection's end is never seen by the other side: the route to it is gone.
      if (pair.dropped) return;
      open.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    for (const socket of [client, upstream]) {
      socket.on('error', end);
      socket.on('close', end);
    }
  });
  const port = await listenOnLoopback(server);
  return {
    port,
    get accepted() {
      return accepted;
    },
    get swallowed() {
      return swallowed;
    },
    drop() {
      for (const pair of open) pair.dropped = true;
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const { client, upstream } of open) {
        client.destroy();
        upstream.destroy();
      }
      open.clear();
      await closed;
    },
  };
}
