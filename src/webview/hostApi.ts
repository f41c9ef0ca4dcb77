/** What VS Code injects into every webview page (chat, dashboard); it may be acquired only once per page. */
export interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** The page's one handle on VS Code: called once, by the page's connectToHost. */
export function acquireHostApi(): VsCodeApi {
  return acquireVsCodeApi();
}
