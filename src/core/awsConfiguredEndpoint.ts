/**
 * The endpoint the AWS SDK sends Bedrock's requests to when no endpoint is set in Switchboard, and where it came
 * from, found as @aws-sdk/client-bedrock-runtime finds it (@smithy/core's getEndpointFromConfig), without loading
 * the SDK: a connection failure then names the address actually tried and the variable or file line that chose it,
 * not the region's AWS endpoint.
 *
 * What the SDK does, in order:
 * - AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ("true" or "false"), else the profile's ignore_configured_endpoint_urls:
 *   when true, none of the rest is used (the variables included).
 * - AWS_ENDPOINT_URL_BEDROCK_RUNTIME, then AWS_ENDPOINT_URL.
 * - The profile's `services` section, its `bedrock_runtime` sub-section's endpoint_url; a profile that names a
 *   services section the file lacks gets no endpoint from the file at all.
 * - The profile's own endpoint_url.
 * The profile is AWS_PROFILE's, else "default": the SDK does not pass the client's `profile` (our
 * providers.bedrock.profile, used for credentials) to this lookup. The files are AWS_CONFIG_FILE (else
 * ~/.aws/config) and AWS_SHARED_CREDENTIALS_FILE (else ~/.aws/credentials); the config file's entries win.
 */
import { readFile } from 'node:fs/promises';
import { awsHomeDir, awsSharedFilePath } from './awsSharedFiles';

export interface ConfiguredEndpoint {
  url: string;
  /** The variable or the file line behind it, as a message names it. */
  from: string;
}

type Section = Record<string, string>;
type IniFile = Record<string, Section>;

/** The two shared files as read once, with their paths: a file that cannot be read (missing included) is empty. */
export interface AwsSharedFiles {
  configPath: string;
  credentialsPath: string;
  config: IniFile;
  credentials: IniFile;
}

/**
 * Reads the files the SDK reads (`~/` expanded as it expands it: awsSharedFiles.ts), for the lookups here and in
 * awsCredentialSource.ts to share: one configure reads each file once, however many of them it asks.
 */
export async function readAwsSharedFiles(env: NodeJS.ProcessEnv, home = awsHomeDir(env)): Promise<AwsSharedFiles> {
  const configPath = awsSharedFilePath(env, 'config', home);
  const credentialsPath = awsSharedFilePath(env, 'credentials', home);
  const [config, credentials] = await Promise.all([readIni(configPath), readIni(credentialsPath)]);
  return { configPath, credentialsPath, config, credentials };
}

/**
 * The endpoint the AWS SDK takes from `env` and the shared files, or undefined when it uses the region's own. The
 * files are read here unless `files` brings them already read.
 */
export async function awsConfiguredEndpoint(env: NodeJS.ProcessEnv, files?: AwsSharedFiles): Promise<ConfiguredEndpoint | undefined> {
  const { configPath, credentialsPath, config, credentials } = files ?? (await readAwsSharedFiles(env));
  const profileName = env.AWS_PROFILE || 'default';
  const fromConfig = profileSection(config, profileName);
  const fromCredentials = credentials[profileName] ?? {};
  // Which file each of the profile's entries came from, the config file's winning as in the SDK.
  const fileOf = (key: string) => (fromConfig[key] !== undefined ? configPath : credentialsPath);
  const profile: Section = { ...fromCredentials, ...fromConfig };

  const ignoreVariable = env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS;
  const ignore = ignoreVariable === 'true' || ignoreVariable === 'false' ? ignoreVariable === 'true' : profile.ignore_configured_endpoint_urls === 'true';
  if (ignore) return undefined;

  for (const name of ['AWS_ENDPOINT_URL_BEDROCK_RUNTIME', 'AWS_ENDPOINT_URL']) {
    const url = env[name];
    if (url) return { url, from: name };
  }
  const servicesName = profile.services;
  if (servicesName) {
    const services = config[`services ${servicesName}`];
    if (!services) return undefined;
    const url = services['bedrock_runtime.endpoint_url'];
    if (url) return { url, from: `bedrock_runtime's endpoint_url in [services ${servicesName}], the services of profile "${profileName}", in ${configPath}` };
  }
  const url = profile.endpoint_url;
  if (url) return { url, from: `endpoint_url of profile "${profileName}" in ${fileOf('endpoint_url')}` };
  return undefined;
}

/** A profile in the config file: `[profile NAME]`, or `[default]` (which `[profile default]` overrides). */
function profileSection(config: IniFile, name: string): Section {
  if (name === 'default') return { ...config.default, ...config['profile default'] };
  return config[`profile ${name}`] ?? {};
}

/** An INI file as the AWS tools read it, or nothing when it cannot be read. */
async function readIni(path: string): Promise<IniFile> {
  try {
    return parseIni(await readFile(path, 'utf8'));
  } catch {
    return {};
  }
}

/**
 * Sections by their name (see sectionName); within one, `key = value`. A key with an empty value opens a
 * sub-section (`bedrock_runtime =`), whose indented lines are kept as `bedrock_runtime.key`; the next line that is
 * not indented closes it. Comments start at `#` or `;` at a line's
 * start or after a space.
 */
export function parseIni(text: string): IniFile {
  const file: IniFile = Object.create(null) as IniFile;
  let section: Section | undefined;
  let subSection: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    const content = line.split(/(?:^|\s)[;#]/)[0]!.trim();
    if (content.startsWith('[') && content.endsWith(']')) {
      const name = sectionName(content.slice(1, -1));
      section = file[name] ??= Object.create(null) as Section;
      subSection = undefined;
      continue;
    }
    const equals = content.indexOf('=');
    if (!section || equals <= 0) continue;
    const key = content.slice(0, equals).trim();
    const value = content.slice(equals + 1).trim();
    if (value === '') {
      subSection = key;
      continue;
    }
    if (subSection && line.trimStart() === line) subSection = undefined;
    section[subSection ? `${subSection}.${key}` : key] = value;
  }
  return file;
}

/**
 * `profile work`, `profile "work"` and `services 'local'` are named "profile work" and "services local": one space
 * after the kind, the name's quotes dropped. Any other form is kept as written, and so is no profile: the SDK reads
 * `[profile  work]` (two spaces) as no profile at all.
 */
function sectionName(inside: string): string {
  const typed = /^(profile|services|sso-session) (["']?)([\w@+.%:/-]+)\2$/.exec(inside);
  return typed ? `${typed[1]} ${typed[3]}` : inside;
}

/** An AWS region's shape (us-east-1, us-gov-west-1, ap-southeast-4): a file's region is one host label of the endpoint. */
const AWS_REGION_SHAPE = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;

/**
 * The region the profile's entry in the shared files names, as the AWS CLI and SDK take it when no region variable is
 * set: `profile` (providers.bedrock.profile), else AWS_PROFILE, else "default"; the config file's entry winning. A
 * value that is not a region's shape is left out (it would become the endpoint's host name). The files are read here
 * unless `files` brings them already read.
 */
export async function awsProfileRegion(env: NodeJS.ProcessEnv, profile: string | undefined, files?: AwsSharedFiles): Promise<{ value: string; from: string } | undefined> {
  const { configPath, credentialsPath, config, credentials } = files ?? (await readAwsSharedFiles(env));
  const profileName = profile || env.AWS_PROFILE || 'default';
  const fromConfig = profileSection(config, profileName).region;
  const value = fromConfig ?? credentials[profileName]?.region;
  if (!value || !AWS_REGION_SHAPE.test(value)) return undefined;
  return { value, from: `region of profile "${profileName}" in ${fromConfig !== undefined ? configPath : credentialsPath}` };
}
