// Builds every bundle with esbuild; tsc only type-checks (npm run typecheck).
//   node scripts/build.mjs            development build (sourcemaps)
//   node scripts/build.mjs --release  minified, as packaged in the .vsix
//   node scripts/build.mjs --watch    rebuild on change
import * as esbuild from 'esbuild';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { vscodeTestsBuildOptions } from './vscode/build-tests.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const release = process.argv.includes('--release');
const watch = process.argv.includes('--watch');

/**
 * Provider adapters pull in their SDKs (hundreds of KB each). They are
 * separate bundles loaded on first use, so activation never parses them:
 * the registry's `import('./providers/openai')` stays a run-time require of
 * dist/providers/openai.js.
 */
const PROVIDERS = ['openai', 'anthropic', 'bedrock'];
const lazyProviders = {
  name: 'lazy-providers',
  setup(build) {
    build.onResolve({ filter: /^\.\/providers\/(openai|anthropic|bedrock)$/ }, (args) => {
      if (!args.importer.endsWith(path.join('core', 'providerRegistry.ts'))) return undefined;
      return { path: `./providers/${path.basename(args.path)}.js`, external: true };
    });
  },
};

/**
 * Auto's scorer (features, word groups, weights: src/core/routing/tiers.ts
 * and what it imports) is its own bundle too, dist/routing.js, required on
 * the first Auto request by core/routing/autoRoute.ts.
 */
const lazyRouting = {
  name: 'lazy-routing',
  setup(build) {
    build.onResolve({ filter: /^\.\/tiers$/ }, (args) => {
      if (!args.importer.endsWith(path.join('core', 'routing', 'autoRoute.ts')) || args.kind !== 'require-call') return undefined;
      return { path: './routing.js', external: true };
    });
  },
};

const node = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node22',
  sourcemap: release ? false : 'linked',
  minify: release,
  metafile: true,
  logLevel: 'warning',
  external: ['vscode'],
  plugins: [lazyProviders, lazyRouting],
  define: { 'process.env.SWITCHBOARD_BUILD': JSON.stringify(release ? 'release' : 'dev') },
};

const builds = [
  { ...node, entryPoints: { extension: 'src/vscode/extension.ts' }, outdir: 'dist' },
  {
    ...node,
    entryPoints: { cli: 'src/cli/main.ts' },
    outdir: 'dist',
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    ...node,
    entryPoints: Object.fromEntries(PROVIDERS.map((p) => [p, `src/core/providers/${p}.ts`])),
    outdir: 'dist/providers',
  },
  { ...node, entryPoints: { routing: 'src/core/routing/tiers.ts' }, outdir: 'dist' },
  {
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    sourcemap: release ? false : 'linked',
    minify: release,
    metafile: true,
    logLevel: 'warning',
    entryPoints: { chat: 'src/webview/chat/main.ts', dashboard: 'src/webview/dashboard/main.ts' },
    outdir: 'dist/webview',
  },
  // The in-host test suite (dist/test/vscode/index.js); not part of a release.
  ...(release ? [] : [vscodeTestsBuildOptions()]),
].filter((b) => [b.entryPoints].flat().flatMap((e) => (typeof e === 'string' ? [e] : Object.values(e))).every((entry) => existsSync(path.join(root, entry))));

async function writeMeta(results) {
  // One metafile for all bundles, so bundle size can be tracked (esbuild's analyzer reads it).
  const merged = { inputs: {}, outputs: {} };
  for (const result of results) {
    Object.assign(merged.inputs, result.metafile.inputs);
    Object.assign(merged.outputs, result.metafile.outputs);
  }
  await writeFile(path.join(root, 'dist', 'meta.json'), JSON.stringify(merged));
  const sizes = Object.entries(merged.outputs)
    .filter(([file]) => file.endsWith('.js'))
    .map(([file, out]) => `${file} ${(out.bytes / 1024).toFixed(1)} KiB`);
  console.log(`built ${release ? 'release' : 'dev'}: ${sizes.join(', ')}`);
}

process.chdir(root);
await mkdir('dist', { recursive: true });
if (watch) {
  for (const options of builds) {
    const context = await esbuild.context(options);
    await context.watch();
  }
  console.log('watching for changes…');
} else {
  const results = await Promise.all(builds.map((options) => esbuild.build(options)));
  if (existsSync('dist/cli.js')) await chmod('dist/cli.js', 0o755);
  await writeMeta(results);
}
