import { parseDashboardQuery, type DashboardQuery, type DashboardToHost } from '../../shared/dashboardProtocol';
import { acquireHostApi } from '../hostApi';

export interface DashboardChannel {
  post(message: DashboardToHost): void;
  /** The range and filters shown last (kept across reloads of the page), or the default. */
  savedQuery(): DashboardQuery;
  saveQuery(query: DashboardQuery): void;
}

export function connectToHost(): DashboardChannel {
  const api = acquireHostApi();
  return {
    post: (message) => api.postMessage(message),
    savedQuery: () => parseDashboardQuery((api.getState() as { query?: unknown } | null)?.query),
    saveQuery: (query) => api.setState({ query }),
  };
}
