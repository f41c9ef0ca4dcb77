/** Types for localServer.mjs, for its tests. */
export function localServerRoutes(
  baseUrl: string,
  options?: { apiKey?: string; timeoutMs?: number },
): Promise<{ model: string; settings: Record<string, string[]> } | { servesDefaults: true } | { problem: string }>;
export const DEFAULT_OPENAI_MODELS: string[];
export function localRoutesSettings(stateDir: string, routes: Record<string, string[]> | undefined): Record<string, string[] | undefined>;
