/**
 * The Chromium that shows VS Code's workbench in tests: the Debian package
 * driven by playwright-core (which downloads no browser of its own).
 */
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

export function findChromium() {
  const fromEnv = process.env.SWITCHBOARD_CHROMIUM;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`SWITCHBOARD_CHROMIUM points at ${fromEnv}, which does not exist.`);
    return fromEnv;
  }
  const found = CANDIDATES.find((candidate) => existsSync(candidate));
  if (!found) {
    throw new Error(`No Chromium found (looked at ${CANDIDATES.join(', ')}). Install the Debian package: sudo apt-get install chromium (scripts/setup.sh does this), or set SWITCHBOARD_CHROMIUM.`);
  }
  return found;
}

/** Headless unless SWITCHBOARD_HEADED=1, for watching a scenario on a desktop. */
export async function launchChromium() {
  return chromium.launch({
    executablePath: findChromium(),
    headless: process.env.SWITCHBOARD_HEADED !== '1',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export const VIEWPORT = { width: 1280, height: 800 };
