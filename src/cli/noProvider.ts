// What `ask` and `complete` say when no model they would ask has credentials: the first run of a new user, who
// needs one short line saying what each provider lacks and where to go next (`init`, `doctor`), not every model's
// reason in full (doctor gives those).
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ProviderRegistry } from '../core/providerRegistry';
import type { Refusal } from '../core/router';
import { cliSettingName, DEFAULT_CONFIG_FILE, shellWord } from './cliSupport';

export type NoCredentials = Extract<Refusal, { kind: 'no-credentials' }>;

/**
 * "no provider can answer the chat route: openai needs OPENAI_API_KEY; anthropic needs ANTHROPIC_API_KEY; bedrock
 * needs AWS credentials (…). Set one, or for a local server that needs no key run "switchboard init --base-url …";
 * "switchboard doctor" checks the setup". `asked`: the route's name, or the model given with --model. Providers out
 * for another reason (a server URL that is not one, a key kept from a host) keep their own words.
 */
export function noProviderMessage(refusal: NoCredentials, registry: ProviderRegistry, asked: string, configFile: string | undefined, cwd: string): string {
  const providers = [...new Set(refusal.skipped.map((skipped) => skipped.provider))];
  const lacking = providers.map((id) => {
    const needs = registry.status(id)?.needs;
    return needs ? `${id} needs ${needs}` : `${id}: ${refusal.skipped.find((skipped) => skipped.provider === id)!.error}`;
  });
  const anyKeyMissing = providers.some((id) => registry.status(id)?.needs);
  // A --config file already given is where a local server goes; without one, init writes one routed to its models.
  // Once init has written one here, sending the user to init again would only be refused ("already exists"): what
  // is missing then is --config naming it (doctor with it too). A file here may as well have come with a cloned
  // repository, naming its own servers: the advice is for the one the user wrote, and says so.
  const unnamed = !configFile && existsSync(path.join(cwd, DEFAULT_CONFIG_FILE));
  const local = configFile
    ? `for a local server that needs no key set ${cliSettingName(configFile)('providers.openai.baseUrl')} ("switchboard models --base-url URL" lists its models and the routes to them)`
    : unnamed
      ? `add --config ${DEFAULT_CONFIG_FILE} if you wrote the file here with "switchboard init" (not read unless named: one that came with a repository would choose your models and servers; a local server that needs no key goes in its providers.openai.baseUrl)`
      : 'for a local server that needs no key run "switchboard init --base-url http://localhost:11434/v1"';
  const setOne = anyKeyMissing ? `. Set one, or ${local}` : unnamed ? `; add --config ${DEFAULT_CONFIG_FILE} if you wrote the file here` : '';
  const named = configFile ?? (unnamed ? DEFAULT_CONFIG_FILE : undefined);
  const doctor = `switchboard doctor${named ? ` --config ${shellWord(named)}` : ''}`;
  return `no provider can answer ${asked}: ${lacking.join('; ')}${setOne}; "${doctor}" checks the setup`;
}
