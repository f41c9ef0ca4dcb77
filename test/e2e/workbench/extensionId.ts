/** Switchboard's id as VS Code knows it (publisher.name): what its status-bar items' and log folders' names start with. */
export const SWITCHBOARD_ID = 'switchboard-dev.switchboard';
