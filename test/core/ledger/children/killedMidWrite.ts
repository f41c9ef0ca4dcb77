/**
 * A writer killed in the middle of a record: writes the first half of a
 * ledger line (no newline), then kills itself with SIGKILL, as a crash or
 * `kill -9` of an extension host would leave the file. argv: FILE.
 */
import { appendFileSync } from 'node:fs';

const [file] = process.argv.slice(2) as [string];
appendFileSync(file, '\n{"v":1,"id":"killed.1","time":"2026-07-25T10:00:00.000Z","task":"chat","provider":"anthr');
process.kill(process.pid, 'SIGKILL');
