/**
 * How a message names a setting, for where the user reads it: the editor's `switchboard.timeouts.firstTokenMs`,
 * the CLI's `timeouts.firstTokenMs in team.jsonc` (the key of its --config file, which has no `switchboard.`). The
 * core words each message once and asks this for the setting's name, so neither reader is sent to the other's place.
 */
export type SettingNamer = (key: string) => string;

/** The editor's name: its Settings UI and settings.json both show the `switchboard.` key. */
export const editorSettingName: SettingNamer = (key) => `switchboard.${key}`;
