/** What a failed scenario leaves behind: a screenshot of the workbench, and the extension's logs on stderr. */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { repoRoot } from '../../../scripts/vscode/ensure-server.mjs';
import { collectLogs, type VSCodeServer } from '../../../scripts/vscode/server.mjs';
import { SWITCHBOARD_ID } from './extensionId';

/** Where what a scenario leaves for a person to look at goes: screenshots, of failures and of what it shows. */
export const OUTPUT_DIR = path.join(repoRoot, 'test-output', 'e2e');

/** Saves a screenshot named after the test when it failed; returns the file, if any. */
export async function screenshotOnFailure(context: Mocha.Context, page: Page | undefined): Promise<string | undefined> {
  const test = context.currentTest;
  if (!page || !test || test.state !== 'failed') return undefined;
  mkdirSync(OUTPUT_DIR, { recursive: true });
  const file = path.join(OUTPUT_DIR, `${slug(test.fullTitle())}.png`);
  try {
    await page.screenshot({ path: file, timeout: 10_000 });
    console.error(`    screenshot: ${path.relative(process.cwd(), file)}`);
    return file;
  } catch (error) {
    console.error(`    no screenshot: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

/** The extension host's log and Switchboard's own output channels, to stderr. */
export async function printExtensionLogs(server: VSCodeServer, extensionId = SWITCHBOARD_ID): Promise<void> {
  const logs = await collectLogs(server.logDir);
  const wanted = logs.filter(({ file }) => file.endsWith('remoteexthost.log') || file.split(path.sep).includes(extensionId));
  for (const { file, text } of wanted) {
    console.error(`\n--- ${path.relative(server.logDir, file)} ---\n${text.trimEnd()}`);
  }
}

function slug(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 100);
}
