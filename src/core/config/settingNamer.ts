/**
 * How a message names a setting, for where the user reads it: the editor's `switchboard.timeouts.firstTokenMs`,
 * the CLI's `timeouts.firstTokenMs in team.jsonc` (the key of its --config file, which has no `switchboard.`). The
 * core words each message once and asks this for the setting's name, so neither reader is sent to the other's place.
 */
export type SettingNamer = (key: string) => string;

/** The editor's name: its Settings UI and settings.json both show the `switchboard.` key. */
export const editorSettingName: SettingNamer = (key) => `switchboard.${key}`;

/**
 * Several settings named together: the CLI's "budget.dailyUsd and budget.warnAt in team.jsonc", its file said once
 * ("budget.dailyUsd in team.jsonc, budget.warnAt in team.jsonc" read as two files); the editor's names, which
 * share no such ending, listed as they are.
 */
export function nameSettings(settingName: SettingNamer, keys: readonly string[]): string {
  const names = keys.map((key) => settingName(key));
  const first = names[0] ?? '';
  const where = / in .+$/.exec(first.slice(keys[0]?.length ?? 0))?.[0];
  if (!where || names.length < 2 || !names.every((name, index) => name === `${keys[index]}${where}`)) return names.join(', ');
  return `${keys.slice(0, -1).join(', ')} and ${keys.at(-1)}${where}`;
}

/**
 * Where a setting is set, to follow "give it its price": the editor's "in switchboard.prices", the CLI's
 * `under "prices" in team.jsonc` (its name "prices in team.jsonc" after "in" read as "in prices in team.jsonc").
 */
export function settingPlace(settingName: SettingNamer, key: string): string {
  const name = settingName(key);
  const file = name.startsWith(`${key} in `) ? name.slice(key.length + ' in '.length) : undefined;
  return file === undefined ? `in ${name}` : `under "${key}" in ${file}`;
}

/**
 * A setting named where a name reads alone ("not in the price table or …"): the editor's `switchboard.prices`, the
 * CLI's `"prices" in team.jsonc`, the key quoted as its file writes it.
 */
export function settingMention(settingName: SettingNamer, key: string): string {
  const name = settingName(key);
  return name.startsWith(`${key} in `) ? `"${key}"${name.slice(key.length)}` : name;
}
