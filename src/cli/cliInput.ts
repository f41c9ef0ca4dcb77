// What a command reads besides its arguments: files named by a flag and standard input, each bounded, with bytes
// that are not text or not UTF-8 said rather than sent silently.
import { open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { CliError, readFailure, type CliIO } from './cliSupport';

/**
 * The start of a file named by a flag (`--file`, `--attach`): at most
 * `maxBytes`, with the file's full size. A file that cannot be read is a
 * CliError naming the flag and the file.
 */
export async function readFileStart(name: string, flag: string, io: CliIO, maxBytes: number): Promise<{ path: string; size: number; bytes: Buffer }> {
  const file = path.resolve(io.cwd, name);
  try {
    const handle = await open(file, 'r');
    try {
      const info = await handle.stat();
      if (!info.isFile()) return { path: file, ...(await readUpTo(handle, maxBytes)) };
      const { size } = info;
      const { bytesRead, buffer } = await handle.read(Buffer.alloc(Math.min(size, maxBytes)), 0, Math.min(size, maxBytes), 0);
      return { path: file, size, bytes: buffer.subarray(0, bytesRead) };
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw new CliError(`cannot read ${flag} ${name}: ${readFailure(error)}`);
  }
}

/**
 * A pipe (`--attach <(git diff)`) or device has no size to read by: it is read to its end, or one byte past
 * `maxBytes` so that `size` says it was longer (its stat size is 0, which attached it empty).
 */
async function readUpTo(handle: FileHandle, maxBytes: number): Promise<{ size: number; bytes: Buffer }> {
  const chunks: Buffer[] = [];
  let size = 0;
  while (size <= maxBytes) {
    const { bytesRead, buffer } = await handle.read(Buffer.alloc(Math.min(64 * 1024, maxBytes + 1 - size)), 0, Math.min(64 * 1024, maxBytes + 1 - size), null);
    if (bytesRead === 0) break;
    chunks.push(buffer.subarray(0, bytesRead));
    size += bytesRead;
  }
  return { size, bytes: Buffer.concat(chunks).subarray(0, maxBytes) };
}

/** A NUL byte near the start: not text. */
export function looksBinary(bytes: Buffer): boolean {
  return bytes.subarray(0, 8000).includes(0);
}

/** The prompt from standard input (PROMPT `-`, or none given with input piped in). */
export async function readStdin(io: CliIO): Promise<string> {
  return decodeText(await readStdinBytes(io, 'the prompt'), 'standard input', io);
}

/** Standard input to its end; `what` it is for, said when it is a terminal. */
export async function readStdinBytes(io: CliIO, what: string): Promise<Buffer> {
  // `ask -` typed in a terminal would otherwise sit waiting, saying nothing.
  if (io.stdin.isTTY) io.stderr(`switchboard: reading ${what} from the terminal; end it with Ctrl-D on a line of its own (Ctrl-Z, Enter on Windows)\n`);
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}

/**
 * `bytes` as UTF-8 text. Bytes that are not UTF-8 (a Latin-1 file, a pipe from a tool in a legacy code page)
 * become U+FFFD, as the decoder always made them; the user is told, or "café" reaches the model as "caf�"
 * without a word. `cut`: the bytes stop at a limit, maybe inside a character, which is no fault of the text.
 */
export function decodeText(bytes: Buffer, source: string, io: CliIO, cut = false): string {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: cut });
  } catch {
    io.stderr(`switchboard: warning: ${source} is not UTF-8 text; each byte that is not was sent as U+FFFD (convert it first, e.g. iconv -f latin1 -t utf-8)\n`);
  }
  return bytes.toString('utf8');
}
