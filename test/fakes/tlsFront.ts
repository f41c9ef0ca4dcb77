/**
 * https in front of a fake, as a home lab serves a model: Caddy or nginx terminating TLS with a self-signed
 * certificate (or one from a private CA) before Ollama or vLLM on plain http. The certificate is made here with
 * openssl, for the names asked, and written as PEM files a test can hand to NODE_EXTRA_CA_CERTS.
 */
import { execFile } from 'node:child_process';
import net from 'node:net';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { promisify } from 'node:util';

export interface TlsFront {
  /** `https://127.0.0.1:PORT`. */
  url: string;
  /** The self-signed certificate's PEM file: what a user would trust. */
  certificateFile: string;
  close(): Promise<void>;
}

/**
 * Serves https on 127.0.0.1 and passes each connection's plain bytes to `backPort` (a fake on 127.0.0.1).
 * `subjectAltName` is openssl's form: `IP:127.0.0.1` for a certificate that names the address asked, `DNS:gpu-box`
 * for one issued to another name.
 */
export async function startTlsFront(backPort: number, subjectAltName = 'IP:127.0.0.1'): Promise<TlsFront> {
  const dir = await mkdtemp(path.join(tmpdir(), 'switchboard-tls-'));
  const keyFile = path.join(dir, 'key.pem');
  const certificateFile = path.join(dir, 'cert.pem');
  await promisify(execFile)('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', keyFile, '-out', certificateFile, '-days', '1', '-subj', '/CN=switchboard-home-lab', '-addext', `subjectAltName=${subjectAltName}`,
  ]);
  const sockets = new Set<net.Socket>();
  const server = tls.createServer({ key: await readFile(keyFile), cert: await readFile(certificateFile) }, (front) => {
    const back = net.connect(backPort, '127.0.0.1');
    sockets.add(front).add(back);
    front.on('close', () => sockets.delete(front));
    back.on('close', () => sockets.delete(back));
    front.on('error', () => back.destroy());
    back.on('error', () => front.destroy());
    front.pipe(back).pipe(front);
  });
  // A client that refuses the certificate ends the handshake: the server's side of that is no failure of the test.
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    certificateFile,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
