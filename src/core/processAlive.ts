/**
 * Whether process `pid` still runs on this machine: a window that crashed
 * leaves files named for it (reservations, a rotation's leftover), and they
 * must not count, nor wait, for a process that is gone.
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
