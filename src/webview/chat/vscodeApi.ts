import type { WebviewToHost } from '../../shared/chatProtocol';
import { acquireHostApi } from '../hostApi';

/** The only state the webview keeps: the host owns the transcript itself. */
export interface ViewState {
  scrollTop: number;
  pinnedToBottom: boolean;
}

export interface HostChannel {
  post(message: WebviewToHost): void;
  savedViewState(): ViewState | undefined;
  saveViewState(state: ViewState): void;
}

export function connectToHost(): HostChannel {
  const api = acquireHostApi();
  return {
    post: (message) => api.postMessage(message),
    savedViewState() {
      const state = api.getState();
      if (typeof state !== 'object' || state === null) return undefined;
      const { scrollTop, pinnedToBottom } = state as Partial<ViewState>;
      if (typeof scrollTop !== 'number' || typeof pinnedToBottom !== 'boolean') return undefined;
      return { scrollTop, pinnedToBottom };
    },
    saveViewState: (state) => api.setState(state),
  };
}
