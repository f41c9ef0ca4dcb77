/**
 * What every chat panel test file shares: the harness (one Chromium and one bundle per file) and small
 * readers of the page a test opened last. The file keeps that page in its own `chat`, so tests read as
 * they did when they were one file.
 */
import { useChatHarness, type ChatHarness, type ChatPage, type OpenOptions } from './chatHarness';

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
