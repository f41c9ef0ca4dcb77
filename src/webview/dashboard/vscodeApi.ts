import { parseDashboardQuery, type DashboardQuery, type DashboardToHost } from '../../shared/dashboardProtocol';

/** What VS Code injects into every webview; it may be acquired only once per page. */
interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

export interface DashboardChannel {
  post(message: DashboardToHost): void;
  /** The range and filters shown last (kept across reloads of the page), or the default. */
  savedQuery(): DashboardQuery;
  saveQuery(query: DashboardQuery): void;
}

export function connectToHost(): DashboardChannel {
  const api = acquireVsCodeApi();
  return {
    post: (message) => api.postMessage(message),
    savedQuery: () => parseDashboardQuery((api.getState() as { query?: unknown } | null)?.query),
    saveQuery: (query) => api.setState({ query }),
  };
}
