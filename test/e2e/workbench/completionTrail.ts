/**
 * What a scenario waiting in vain for ghost text says about why: where the focus is, the requests the fakes received, by model, and the
 * last steps of the completion calls Switchboard logged (each call's steps, at Debug: see the engine's `onStep`; the
 * workbench logs Switchboard at Debug, see workbench.ts). Without it a timeout could not tell "the editor lost the focus",
 * "VS Code never asked", "a rule decided no request" and "the request went out and failed" apart.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { collectLogs } from '../../../scripts/vscode/server.mjs';
import type { FakeServer } from '../../fakes';
import { SWITCHBOARD_ID } from './extensionId';
import { fakes, workbench } from './scenarioSetup';

/** Log lines kept: the calls of the last few keystrokes and the request lines around them. */
const TRAIL_LINES = 40;

/**
 * For a failure message: where the focus is; and the fakes' requests and Switchboard's completion log lines, when
 * `page` is the workbench useWorkbenchOnFakes opened (the describes that open their own get the focus alone).
 */
export async function completionTrail(page: Page): Promise<string> {
  // Ghost text shows only in a focused editor (and the wait looks only there): where the focus went instead, if it did.
  const focus = await page
    .evaluate(() => {
      const active = document.activeElement;
      const where = active ? `${active.tagName.toLowerCase()}${active.className ? `.${String(active.className).trim().split(/\s+/).join('.')}` : ''}` : 'nothing';
      return `${document.querySelectorAll('.monaco-editor.focused').length} focused editor(s); the focus is on ${where.slice(0, 160)}`;
    })
    .catch((error: unknown) => `the focus could not be read: ${error instanceof Error ? error.message : String(error)}`);
  if (workbench?.page !== page) return focus;
  const parts: string[] = [focus];
  if (fakes) {
    parts.push(`requests the fakes received: openai ${byModel(fakes.openai)}; anthropic ${byModel(fakes.anthropic)}; bedrock ${fakes.bedrock.requests.length}`);
  }
  const logs = await collectLogs(workbench.server.logDir).catch(() => []);
  const own = logs.filter(({ file }) => file.split(path.sep).includes(SWITCHBOARD_ID));
  // The calls' steps and the router's lines for completion requests (`#3 completion ok: …`, a failed attempt's warning).
  const lines = own.flatMap(({ text }) => text.split('\n')).filter((line) => /\bcompletion\b|\bfailed \(/.test(line));
  parts.push(lines.length > 0 ? `Switchboard's completion log, last ${Math.min(lines.length, TRAIL_LINES)} lines:\n${lines.slice(-TRAIL_LINES).join('\n')}` : "Switchboard's log has no completion line: VS Code never called the provider, or the log is not at Debug");
  return parts.join('\n');
}

/** `3 (gpt-5.4-nano 2, gpt-4o 1)`: the requests `server` received, by the model their body named. */
function byModel(server: FakeServer): string {
  const counts = new Map<string, number>();
  for (const request of server.requests) {
    const model = (request.body as { model?: unknown } | undefined)?.model;
    const name = typeof model === 'string' ? model : '(none)';
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  const each = [...counts].map(([model, count]) => `${model} ${count}`).join(', ');
  return `${server.requests.length}${each ? ` (${each})` : ''}`;
}
