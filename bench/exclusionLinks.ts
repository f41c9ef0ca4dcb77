/**
 * Not a section of run.ts (it takes a second and needs no server): what the
 * exclusion check's link re-check costs per completion, on real files.
 *
 *   npx tsx bench/exclusionLinks.ts [--rounds N] [--dir PATH]
 *
 * A completion reads up to 13 files (its document and the snippet collector's
 * documents and edits), and the check asks once a completion whether each
 * path still leads to the file it was decided for. Each round here asks it of
 * 13 files as deep as a workspace's sources (`ws/src/feature/part/fileN.ts`),
 * 3 of them reached through a file link and 2 through a linked folder, in the
 * ways the check could: `realPath` each (what it did: `realpathSync.native`,
 * a readlink a path component), `fileIdentity` each (what it does: one
 * `statSync`, a single path walk, the file's device and inode), `lstatSync` each (which sees a link only in the last
 * component, not a re-pointed folder), and the real path of all 13 at once
 * off the thread (`fs.promises.realpath`, and the callback form), timed as
 * the round's wall time and as the time the calling thread was busy issuing
 * the calls and running their callbacks (on a loaded machine that includes
 * being preempted by the pool's threads). `--dir` puts the files on another
 * disk (a network mount), where the figures that matter most are made.
 */
import { lstatSync, mkdirSync, mkdtempSync, realpath as realpathCallback, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { fileIdentity, realPath } from '../src/core/exclude';
import { machineInfo } from './report';
import { summarize, type Summary } from './stats';

const FILES = 13;

function makeWorkspace(parent: string): { root: string; files: string[] } {
  const root = mkdtempSync(path.join(parent, 'switchboard-links-'));
  const sources = path.join(root, 'ws', 'src', 'feature', 'part');
  const elsewhere = path.join(root, 'elsewhere', 'shared');
  mkdirSync(sources, { recursive: true });
  mkdirSync(elsewhere, { recursive: true });
  const files: string[] = [];
  for (let i = 0; i < FILES - 5; i++) {
    const file = path.join(sources, `file${i}.ts`);
    writeFileSync(file, `export const value${i} = ${i};\n`);
    files.push(file);
  }
  for (let i = 0; i < 3; i++) {
    const target = path.join(elsewhere, `target${i}.ts`);
    writeFileSync(target, 'export {};\n');
    const link = path.join(sources, `linked${i}.ts`);
    symlinkSync(target, link);
    files.push(link);
  }
  symlinkSync(elsewhere, path.join(root, 'ws', 'src', 'shared'));
  for (let i = 0; i < 2; i++) {
    const target = path.join(elsewhere, `viaDir${i}.ts`);
    writeFileSync(target, 'export {};\n');
    files.push(path.join(root, 'ws', 'src', 'shared', `viaDir${i}.ts`));
  }
  return { root, files };
}

/** The same with the callback form of the native call, which skips the promise API's machinery. */
function resolveAllNative(files: readonly string[]): Promise<{ wall: number; busy: number }> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    let busy = 0;
    let left = files.length;
    for (const file of files) {
      realpathCallback.native(file, (error, real) => {
        const callback = performance.now();
        if (error || real.length === 0) {
          reject(error ?? new Error(`${file} resolved to nothing`));
          return;
        }
        busy += since(callback);
        if (--left === 0) resolve({ wall: since(start), busy });
      });
    }
    busy += since(start);
  });
}

/** Microseconds since `start`. */
function since(start: number): number {
  return (performance.now() - start) * 1000;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rounds: { type: 'string', default: '2000' }, dir: { type: 'string' } } });
  const rounds = Number(values.rounds);
  const { root, files } = makeWorkspace(values.dir ?? tmpdir());
  const samples = {
    realpathSync: [] as number[],
    lstatSync: [] as number[],
    statSync: [] as number[],
    asyncWall: [] as number[],
    asyncBusy: [] as number[],
    nativeWall: [] as number[],
    nativeBusy: [] as number[],
  };
  try {
    for (let round = -200; round < rounds; round++) {
      // Interleaved round by round, so the three see the same load.
      let start = performance.now();
      for (const file of files) realPath(file);
      const syncTime = since(start);

      start = performance.now();
      for (const file of files) lstatSync(file);
      const lstatTime = since(start);

      start = performance.now();
      for (const file of files) fileIdentity(file);
      const statTime = since(start);

      let busy = 0;
      start = performance.now();
      const issued = performance.now();
      const pending = files.map((file) =>
        realpath(file).then((real) => {
          const callback = performance.now();
          // What the check does with an answer: compare it with the path resolved before.
          if (real.length === 0) throw new Error(`${file} resolved to nothing`);
          busy += since(callback);
          return real;
        }),
      );
      busy += since(issued);
      await Promise.all(pending);
      const asyncWall = since(start);

      const native = await resolveAllNative(files);

      if (round < 0) continue;
      samples.nativeWall.push(native.wall);
      samples.nativeBusy.push(native.busy);
      samples.realpathSync.push(syncTime);
      samples.lstatSync.push(lstatTime);
      samples.statSync.push(statTime);
      samples.asyncWall.push(asyncWall);
      samples.asyncBusy.push(busy);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  const row = (name: string, summary: Summary) =>
    `${name.padEnd(46)} ${summary.median.toFixed(1).padStart(8)} ${summary.p99.toFixed(1).padStart(8)} ${(summary.median / FILES).toFixed(2).padStart(9)}`;
  console.log(JSON.stringify({ machine: machineInfo(), rounds, files: FILES, dir: values.dir ?? tmpdir() }));
  console.log(`${'per round of 13 files (µs)'.padEnd(46)} ${'median'.padStart(8)} ${'p99'.padStart(8)} ${'med/file'.padStart(9)}`);
  console.log(row('realPath each, before (thread blocked)', summarize(samples.realpathSync)));
  console.log(row('lstatSync each (thread blocked)', summarize(samples.lstatSync)));
  console.log(row('fileIdentity each, after (thread blocked)', summarize(samples.statSync)));
  console.log(row('fs.promises.realpath, all at once: wall', summarize(samples.asyncWall)));
  console.log(row('  of which the calling thread was busy', summarize(samples.asyncBusy)));
  console.log(row('fs.realpath.native (callback), all at once: wall', summarize(samples.nativeWall)));
  console.log(row('  of which the calling thread was busy', summarize(samples.nativeBusy)));
}

void main();
