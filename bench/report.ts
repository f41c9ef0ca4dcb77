/** The machine a run happened on, and plain-text tables for the console. */
import os from 'node:os';
import type { Summary } from './stats';

export interface MachineInfo {
  node: string;
  platform: string;
  arch: string;
  cpuModel: string;
  cpus: number;
  memoryGiB: number;
  /** 1, 5 and 15-minute load averages when the run started: other work on the machine skews timings. */
  loadAverage: number[];
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    node: process.version,
    platform: os.platform(),
    arch: os.arch(),
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cpus: typeof os.availableParallelism === 'function' ? os.availableParallelism() : cpus.length,
    memoryGiB: Number((os.totalmem() / 1024 ** 3).toFixed(1)),
    loadAverage: os.loadavg().map((value) => Number(value.toFixed(2))),
  };
}

export interface Check {
  name: string;
  pass: boolean;
  detail: string;
}

/** Left-aligned first column, right-aligned numbers. */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)));
  const format = (cells: string[]) =>
    cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  ');
  return [format(headers), widths.map((width) => '─'.repeat(width)).join('  '), ...rows.map(format)].join('\n');
}

export function ms(value: number, digits = 3): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '–';
}

/** A row of median / p99 / mean / max for a summary in milliseconds. */
export function summaryRow(label: string, summary: Summary, digits = 3): string[] {
  return [label, ms(summary.median, digits), ms(summary.p99, digits), ms(summary.mean, digits), ms(summary.max, digits), String(summary.n)];
}

export const SUMMARY_HEADERS = ['', 'median', 'p99', 'mean', 'max', 'n'];

export function checkLines(checks: readonly Check[]): string {
  return checks.map((check) => `${check.pass ? 'PASS' : 'FAIL'}  ${check.name}: ${check.detail}`).join('\n');
}

export function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}
