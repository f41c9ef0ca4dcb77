/** Reads a ledger's totals in a process of its own (run as another user). Prints the error, or "ok". argv: FILE. */
import { Ledger } from '../../../../src/core/ledger';

const [file] = process.argv.slice(2) as [string];
new Ledger(file).aggregate().then(
  () => process.stdout.write('ok\n'),
  (error: Error) => process.stdout.write(`${error.name}: ${error.message}\n`),
);
