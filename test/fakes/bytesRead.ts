import { readFileSync } from 'node:fs';

/**
 * Bytes this process has read through read(2) and the like, page cache or not (Linux: /proc/self/io's rchar): a test
 * reads it before and after a step to see how often the step read a large file, without wrapping any reader.
 */
export function bytesReadByThisProcess(): number {
  const match = /^rchar: (\d+)$/m.exec(readFileSync('/proc/self/io', 'utf8'));
  if (!match) throw new Error('/proc/self/io has no rchar line');
  return Number(match[1]);
}
