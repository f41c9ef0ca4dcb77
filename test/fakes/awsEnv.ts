import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * The variables the AWS SDK's default credential chain reads from the
 * process environment (not from the env the registry is given): tests that
 * send Bedrock requests set or clear them for real, so the developer's own
 * AWS setup and the EC2 metadata service stay out.
 */
export const AWS_ENV = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_PROFILE',
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_EC2_METADATA_DISABLED',
  'AWS_BEARER_TOKEN_BEDROCK',
] as const;

/** The process environment a Bedrock test has set (setTestAwsKeys), and how to put the one before it back. */
export interface TestAwsEnvironment {
  /** A new empty temporary folder, where AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE point (the files not made). */
  dir: string;
  /** Puts the variables back as they were and removes the folder. */
  restore(): Promise<void>;
}

/**
 * Sets the AWS variables of the process for a test that sends Bedrock requests through the real SDK: test keys
 * (`accessKeyId`, which the fake's signature check and the tests' assertions name), shared files in a new empty
 * folder and no EC2 metadata service, every other AWS_ENV variable cleared.
 */
export async function setTestAwsKeys(accessKeyId = 'FAKEKEYIDFORTESTS001'): Promise<TestAwsEnvironment> {
  const saved = Object.fromEntries(AWS_ENV.map((name) => [name, process.env[name]]));
  const dir = await mkdtemp(path.join(tmpdir(), 'switchboard-aws-'));
  for (const name of AWS_ENV) delete process.env[name];
  process.env.AWS_CONFIG_FILE = path.join(dir, 'config');
  process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, 'credentials');
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  process.env.AWS_ACCESS_KEY_ID = accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = 'fake-secret';
  return {
    dir,
    restore: async () => {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
