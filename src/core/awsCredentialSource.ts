import { readAwsSharedFiles, type AwsSharedFiles } from './awsConfiguredEndpoint';

/**
 * Where the AWS SDK's default credential chain will take Bedrock's credentials from, in words for a message that
 * says their wait took too long ("getting AWS credentials from the credential_process of profile "work"
 * (AWS_PROFILE) took over …"): the link that can take seconds, an SSO token refresh, an assume-role call to STS, a
 * credential_process, a web identity token exchanged with STS, a container's or instance's endpoint.
 *
 * The chain as the SDK runs it: a profile given to the client (`profile`, the setting named `profileSetting`), else
 * AWS_PROFILE, skips the environment's keys; else the keys, then the default profile, then a web identity token, a
 * container's endpoint, the instance's role. A profile's kind is read from the config file (its entries win over
 * the credentials file's, as in the SDK); a file that cannot be read names the profile alone.
 */
export async function awsCredentialSource(env: NodeJS.ProcessEnv, profile: string | undefined, profileSetting: string, files?: AwsSharedFiles): Promise<string> {
  const named = profile ? { name: profile, from: profileSetting } : env.AWS_PROFILE ? { name: env.AWS_PROFILE, from: 'AWS_PROFILE' } : undefined;
  if (!named && env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) return 'the environment (AWS_ACCESS_KEY_ID)';
  const name = named?.name ?? 'default';
  const entries = profileEntries(files ?? (await readAwsSharedFiles(env)), name);
  if (!named && Object.keys(entries).length === 0) {
    if (env.AWS_WEB_IDENTITY_TOKEN_FILE) return 'the web identity token of AWS_WEB_IDENTITY_TOKEN_FILE, exchanged with STS';
    const container = ['AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI'].find((variable) => env[variable]);
    if (container) return `the container's credential endpoint (${container})`;
    return "the default credential chain (no profile, no keys in the environment: the instance's role)";
  }
  const profileName = `profile "${name}"${named ? ` (${named.from})` : ''}`;
  if (entries.credential_process) return `the credential_process of ${profileName}`;
  if (entries.sso_session || entries.sso_start_url) return `the SSO sign-in of ${profileName}`;
  if (entries.role_arn) return `the role_arn of ${profileName}, assumed through STS`;
  if (entries.web_identity_token_file) return `the web identity token of ${profileName}, exchanged with STS`;
  return profileName;
}

/** A profile's entries: the credentials file's `[name]`, the config file's `[profile name]` (`[default]`) over them. */
function profileEntries({ config, credentials }: AwsSharedFiles, name: string): Record<string, string> {
  const fromConfig = name === 'default' ? { ...config.default, ...config['profile default'] } : config[`profile ${name}`];
  return { ...credentials[name], ...fromConfig };
}
