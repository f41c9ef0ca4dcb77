/** Types for startLines.mjs, for its tests. */
export function shownPath(repoRoot: string, target: string): string;
export function routesLeftLine(problem: string): string;
export function usingProvidersLine(found: string[]): string;
