/** Types for localServer.mjs, for its tests. */
export function localServerRoutes(
  baseUrl: string,
  options: { cli: string; apiKey?: string },
): Promise<{ routes: Record<string, string[]>; settings: Record<string, string[]> } | { servesDefaults: true } | { problem: string }>;
export function localRoutesSettings(stateDir: string, routes: Record<string, string[]> | undefined): Record<string, string[] | undefined>;
