/**
 * A front for a kept VS Code server (the sandbox) that lets the browser
 * workbench keep extension secrets (Switchboard's API keys) between page loads
 * and runs.
 *
 * Why it is needed: in this build the browser workbench keeps secrets in the
 * browser's localStorage, sealed with AES; it fetches the server's half of the
 * key with `POST <path>/mint-key`. code-server's own front answers that route,
 * but VS Code's server (server-main.js, which we run) does not: it answers 405,
 * sealing fails, and a key stored with "Set API Key" lives only until the page
 * reloads. This front answers `POST …/mint-key` from a 32-byte file in the
 * kept user-data folder (made on first use, readable by the user only), as
 * code-server does, and passes every other request and WebSocket through to the
 * server untouched.
 *
 * It listens on 127.0.0.1 only, like the server behind it, which already lets
 * anyone who can reach that port run code as the user: the key half adds no
 * access that port did not already give.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';

const KEY_BYTES = 32;

/**
 * @param {object} options
 * @param {number} options.port where the browser connects (0 for any free port)
 * @param {number} options.serverPort where VS Code's server listens on 127.0.0.1
 * @param {string} options.keyFile the server's half of the secrets key; kept between runs
 * @returns {Promise<{ port: number, close(): Promise<void> }>}
 */
export async function startSecretKeyFront({ port, serverPort, keyFile }) {
  const sockets = new Set();
  const front = http.createServer((request, response) => {
    if (request.method === 'POST' && new URL(request.url ?? '/', 'http://front').pathname.endsWith('/mint-key')) {
      request.resume();
      let key;
      try {
        key = serverKeyHalf(keyFile);
      } catch (error) {
        response.writeHead(500, { 'content-type': 'text/plain' }).end(`cannot keep the secrets key in ${keyFile}: ${error.message}`);
        return;
      }
      response.writeHead(200, { 'content-type': 'application/octet-stream', 'cache-control': 'no-store' }).end(key);
      return;
    }
    const upstream = http.request(
      { host: '127.0.0.1', port: serverPort, method: request.method, path: request.url, headers: request.headers },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.statusMessage, answer.headers);
        answer.pipe(response);
      },
    );
    upstream.on('error', (error) => {
      if (!response.headersSent) response.writeHead(502, { 'content-type': 'text/plain' });
      response.end(`VS Code's server did not answer: ${error.message}`);
    });
    request.pipe(upstream);
  });
  // The workbench's connection to its server is a WebSocket: pass the upgrade through byte for byte.
  front.on('upgrade', (request, socket, head) => {
    const upstream = net.connect(serverPort, '127.0.0.1', () => {
      const headers = [];
      for (let i = 0; i < request.rawHeaders.length; i += 2) headers.push(`${request.rawHeaders[i]}: ${request.rawHeaders[i + 1]}`);
      upstream.write(`${request.method} ${request.url} HTTP/${request.httpVersion}\r\n${headers.join('\r\n')}\r\n\r\n`);
      if (head.length > 0) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    const end = () => {
      upstream.destroy();
      socket.destroy();
    };
    upstream.on('error', end);
    socket.on('error', end);
    upstream.on('close', end);
    socket.on('close', end);
  });
  front.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise((resolve, reject) => {
    front.once('error', reject);
    front.listen(port, '127.0.0.1', () => {
      front.off('error', reject);
      resolve();
    });
  });
  return {
    port: /** @type {import('node:net').AddressInfo} */ (front.address()).port,
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => front.close(() => resolve()));
    },
  };
}

/** The kept key half, made on first use; a file of the wrong size is an error, never silently replaced (it would lose the stored keys). */
function serverKeyHalf(keyFile) {
  let key;
  try {
    key = readFileSync(keyFile);
  } catch (error) {
    if (error.code !== 'ENOENT') throw error;
    key = randomBytes(KEY_BYTES);
    writeFileSync(keyFile, key, { mode: 0o600, flag: 'wx' });
  }
  if (key.length !== KEY_BYTES) throw new Error(`it holds ${key.length} bytes, not ${KEY_BYTES}; delete it to start over (keys stored before are then lost)`);
  return key;
}
