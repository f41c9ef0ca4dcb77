import type { Browser } from 'playwright-core';

export function findChromium(): string;
export function launchChromium(): Promise<Browser>;
export const VIEWPORT: { width: number; height: number };
