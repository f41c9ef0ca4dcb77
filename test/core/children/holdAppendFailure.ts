import { constants } from 'node:fs';
import fsPromises from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';

/**
 * A file-system hook for a child process: the next append to `file` that fails (an open on a read-only
 * filesystem, a write to a full one) fails for real, but its failure is held until `release()`. So a try that
 * began on the broken disk is still in flight, deterministically, while the test mends the disk and calls
 * flush(): the race a loaded machine gave once in a while, with no sleep. Only `node:fs/promises`' open is
 * wrapped (the writer's own modules run as they are); the hook removes itself at the first failure it holds.
 */
export function holdNextAppendFailure(file: string): { failed: Promise<void>; release: () => void; restore: () => void } {
  const realOpen = fsPromises.open;
  let failed!: () => void;
  let release!: () => void;
  const failedSeen = new Promise<void>((resolve) => (failed = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  let holding = false;
  const restore = (): void => {
    if (fsPromises.open === realOpen) return;
    fsPromises.open = realOpen;
    syncBuiltinESMExports();
  };
  const hold = <T>(attempt: Promise<T>): Promise<T> =>
    attempt.catch(async (error: unknown) => {
      if (holding) throw error;
      holding = true;
      restore();
      failed();
      await released;
      throw error;
    });

  fsPromises.open = (async (...args: Parameters<typeof realOpen>) => {
    const [path, flags] = args;
    const appending = typeof flags === 'number' && (flags & constants.O_APPEND) !== 0;
    if (path !== file || !appending || holding) return realOpen(...args);
    const handle = await hold(realOpen(...args));
    const realWrite = handle.write.bind(handle) as (...writeArgs: unknown[]) => Promise<unknown>;
    (handle as unknown as { write: typeof realWrite }).write = (...writeArgs) => hold(realWrite(...writeArgs));
    return handle;
  }) as typeof realOpen;
  syncBuiltinESMExports();
  // restore: for a test that ends before any failure, so the hook never outlives it.
  return { failed: failedSeen, release, restore };
}
