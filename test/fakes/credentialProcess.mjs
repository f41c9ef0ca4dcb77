// A credential_process for the AWS SDK's credential chain (an AWS config profile's `credential_process = node
// credentialProcess.mjs DIR`) that takes as long as a test wants, with no clock: it notes each run in DIR/started,
// waits until DIR/release exists, then prints fake keys in the process credential format and notes DIR/finished.
// Stands for a credential_process, an SSO token refresh or an assume-role call that takes seconds.
// With `expiring` after DIR: the first run's keys expire in 2 minutes (within the 5 the SDK refreshes before), later
// runs' in an hour; named by the run (AKIDCREDENTIALPROCESS1, …2), so a test can tell which run's keys signed a request.
import { appendFileSync, existsSync, readFileSync, watch } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: credentialProcess.mjs DIR\n');
  process.exit(2);
}
appendFileSync(join(dir, 'started'), `${process.pid}\n`);
const expiring = process.argv[3] === 'expiring';
const run = readFileSync(join(dir, 'started'), 'utf8').trim().split('\n').length;

const release = join(dir, 'release');
const answer = () => {
  const keys = { Version: 1, AccessKeyId: 'AKIDCREDENTIALPROCESS', SecretAccessKey: 'fake-secret-from-credential-process' };
  if (expiring) Object.assign(keys, { AccessKeyId: `AKIDCREDENTIALPROCESS${run}`, Expiration: new Date(Date.now() + (run === 1 ? 2 : 60) * 60_000).toISOString() });
  process.stdout.write(JSON.stringify(keys));
  appendFileSync(join(dir, 'finished'), `${process.pid}\n`);
  process.exit(0);
};
// Watched before the check, so a release between the two is not missed.
const watcher = watch(dir, () => existsSync(release) && (watcher.close(), answer()));
if (existsSync(release)) answer();
