/** Types for simulated.mjs, so the TypeScript screenshot script can start the sandbox's fakes. */
import type { FakeProviderUrls } from '../../test/fakes';

export function freshWorkspaceCopy(stateDir: string): string;
export function startSimulatedProviders(): Promise<{ pid: number; urls: FakeProviderUrls; stop(): Promise<void> }>;
export function simulatedSettings(urls: FakeProviderUrls): [key: string, value: string, what: string][];
export function simulatedEnv(stateDir: string): Record<string, string>;
export function simulatedProfileSettings(on: boolean): { 'switchboard.sandbox.simulated': boolean };
