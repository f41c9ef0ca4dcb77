/**
 * What every chat panel test file shares: the harness (one Chromium and one bundle for the whole mocha
 * process, however many files use it) and small readers of the page a test opened last. The file keeps
 * that page in its own `chat`, so tests read as they did when they were one file.
 */
import { ChatHarness, type ChatPage, type OpenOptions } from './chatHarness';

/** Started by the first describe that needs it; each test still gets its own browser context. */
let shared: Promise<ChatHarness> | undefined;

// At this module's top level, so on the root suite: mocha loads it once, outside any describe, and runs
// this after the last file. A start that failed has nothing to close (and failed that describe already).
after(async () => {
  await shared?.then(
    (harness) => harness.close(),
    () => undefined,
  );
});

/**
 * The mocha hooks of a describe whose tests open chat pages: the shared harness once its `before` has run,
 * and each test's pages (and their contexts) closed after it. Call it in the describe.
 */
export function useChatHarness(): () => ChatHarness {
  let harness: ChatHarness | undefined;
  before(async () => {
    shared ??= ChatHarness.start();
    harness = await shared;
  });
  afterEach(async () => {
    await harness?.closePages();
  });
  return () => {
    if (!harness) throw new Error('useChatHarness: the harness is started in before(); use it inside a test');
    return harness;
  };
}

export interface ChatPanelSuite {
  harness: () => ChatHarness;
  /** Opens a page, waits until it is ready, and makes it the current one. */
  openReady(options?: OpenOptions): Promise<ChatPage>;
  /** The text of what `selector` finds on the current page. */
  text(selector: string): Promise<string>;
  /** How many elements `selector` finds on the current page. */
  count(selector: string): Promise<number>;
  /** What tells an attach toggle's state apart on screen: the box's mark, the border, the label's weight. */
  toggleLook(toggle: ReturnType<ChatPage['page']['locator']>): Promise<{ box: string; border: string; weight: number }>;
}

/** Call inside the file's describe: `current` reads the file's page, `opened` sets it. */
export function useChatPanel(current: () => ChatPage, opened: (page: ChatPage) => void): ChatPanelSuite {
  const harness = useChatHarness();
  return {
    harness,
    async openReady(options) {
      const page = await harness().openReady(options);
      opened(page);
      return page;
    },
    text: (selector) => current().page.locator(selector).innerText(),
    count: (selector) => current().page.locator(selector).count(),
    toggleLook: (toggle) =>
      toggle.evaluate((element) => ({
        box: getComputedStyle(element.querySelector('.toggle-box')!, '::before').content,
        border: getComputedStyle(element).borderStyle + ' ' + getComputedStyle(element).borderColor,
        weight: Number(getComputedStyle(element.querySelector('.toggle-label')!).fontWeight),
      })),
  };
}
