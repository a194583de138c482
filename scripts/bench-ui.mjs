#!/usr/bin/env node
// UI benchmark: how long a key press takes to reach the screen on a huge image. A synthetic
// image of 200,000 files is written in memory (docker-save layout), read and analysed as the CLI
// does, then the real explorer is rendered by Ink exactly as `layerscope IMAGE` renders it (not
// Ink's test mode: frame throttling and all) to a stand-in terminal. A sample: from writing a key
// to stdin to the end of the frame Ink writes in response. The targets (issue 15: a key → frame
// ≤ 50 ms at 200k files, including `]`, the first filter keystroke and `s`; printed by
// scripts/bench-scale.mjs too, through `keyTargets`): keys pressed 100 ms apart on views not drawn
// before (one per layer), so no earlier key has done their work; medians. Then a round of keys,
// "paced" (100 ms apart, as a person presses them) and "held" (the next as soon as the frame
// arrives). The floor, in the same run: a byte through the same stdin, read, with no UI behind it.
//
//   npm run build && node scripts/bench-ui.mjs [--files N] [--keys N]   (defaults 200000, 100)

import { PassThrough, Writable } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const COLUMNS = 160;
const ROWS = 48;
/** What a key press may take to reach the screen (issue 15). */
export const KEY_LIMIT_MS = 50;

const median = (values) => percentile(values, 50);
function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length) - 1; // nearest rank
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
}
const ms = (value) => `${value.toFixed(1)} ms`;
const sleep = (millis) => new Promise((resolve) => setTimeout(resolve, millis));

// ---- The image: `total` regular files over 8 layers, shaped like a fat application image. ----

function syntheticLayers(total) {
  const size = (i) => (i * 7919) % 1500;
  const share = (fraction) => Math.floor(total * fraction);
  const base = share(0.4);
  const packages = share(0.3);
  const modules = share(0.2);
  const overwritten = share(0.025);
  const app = total - base - packages - modules - overwritten - 2 * 500 - 2; // VERSION, motd
  const file = (name, i) => ({ name, content: size(i) });
  const layers = [
    Array.from({ length: base }, (_, i) => file(`usr/lib/pkg${i % 400}/d${(i >> 4) % 10}/lib${i}.so`, i)),
    [
      ...Array.from({ length: packages }, (_, i) => file(`usr/share/p${i % 300}/s${(i >> 3) % 20}/f${i}.txt`, i)),
      ...Array.from({ length: 500 }, (_, i) => file(`var/cache/apt/archives/pkg${i}_1.0_amd64.deb`, i)),
      ...Array.from({ length: 500 }, (_, i) => file(`var/lib/apt/lists/deb.debian.org_part${i}`, i)),
    ],
    Array.from({ length: modules }, (_, i) => file(`app/node_modules/m${i % 1000}/lib/f${i}.js`, i)),
    Array.from({ length: overwritten }, (_, i) => file(`usr/lib/pkg${i % 400}/d${(i >> 4) % 10}/lib${i}.so`, i + 1)),
    [
      ...Array.from({ length: app - 200 }, (_, i) => file(`app/src/c${i % 100}/m${i}.ts`, i)),
      ...Array.from({ length: 200 }, (_, i) => file(`app/.git/objects/${i % 16}/o${i}`, i)),
    ],
    Array.from({ length: 2000 }, (_, i) => ({ name: `usr/share/p${i % 300}/s${(i >> 3) % 20}/.wh.f${i}.txt`, content: 0 })),
    [{ name: 'app/VERSION', content: '1.0.0\n' }],
    [{ name: 'etc/motd', content: 'welcome\n' }],
  ];
  const history = [
    'ADD rootfs.tar.xz / # base',
    'RUN apt-get update && apt-get install -y build-essential',
    'RUN npm ci',
    'RUN ./patch-libs.sh',
    'COPY . /app',
    'RUN rm -rf /usr/share/p*/s*/f1*.txt',
    'RUN echo 1.0.0 > /app/VERSION',
    'RUN echo welcome > /etc/motd',
  ].map((createdBy) => ({ createdBy }));
  return { layers, history };
}

/** A terminal of COLUMNS x ROWS that keeps count of Ink's writes and when the last came. */
class Terminal extends Writable {
  isTTY = true;
  columns = COLUMNS;
  rows = ROWS;
  writes = 0;
  lastWriteAt = 0;
  _write(chunk, _encoding, done) {
    this.lastWriteAt = performance.now();
    this.writes += 1;
    done();
  }
}

/** Writes the synthetic image, then reads, analyses and indexes it as the CLI does. */
async function benchImage(files) {
  const { writeImageArchive } = await import('../dist/src/archive/write-image-archive.js');
  const { readImageArchive } = await import('../dist/src/archive/read-image-archive.js');
  const { analyseImage } = await import('../dist/src/analysis/analyse.js');
  const { indexTree, warmTreeIndex } = await import('../dist/src/model/tree-view.js');
  let started = performance.now();
  let { layers, history } = syntheticLayers(files);
  const regularFiles = layers.flat().filter((entry) => !entry.name.split('/').pop().startsWith('.wh.')).length;
  const layerCount = layers.length;
  let archive = await writeImageArchive({ layout: 'docker-save', images: [{ layers, history, tags: ['bench/ui:200k'] }] });
  layers = history = undefined;
  const built = performance.now() - started;
  started = performance.now();
  const parsed = await readImageArchive(
    (async function* () {
      for (let at = 0; at < archive.length; at += 1 << 20) yield archive.subarray(at, at + (1 << 20));
    })(),
    { source: 'bench/ui:200k' },
  );
  const archiveBytes = archive.length;
  archive = undefined; // the CLI streams the archive and keeps none of it: neither does this
  const analysis = analyseImage(parsed);
  const analysed = performance.now() - started;
  started = performance.now();
  const index = warmTreeIndex(indexTree(analysis.tree, analysis.flaggedPaths)); // as the session does
  const indexed = performance.now() - started;
  const image =
    `${regularFiles} files in ${layerCount} layers, ${(archiveBytes / 1e6).toFixed(0)} MB archive, ` +
    `${analysis.figures.finalFiles ?? '?'} files in the final tree, ${analysis.findings.length} findings` +
    ` (written in ${(built / 1000).toFixed(1)} s, read and analysed in ${(analysed / 1000).toFixed(1)} s, indexed in ${(indexed / 1000).toFixed(2)} s)`;
  return { analysis, index, archiveBytes, image };
}

/**
 * The synthetic image's explorer, rendered by Ink's real renderer into a stand-in terminal.
 * Resolves with the image, the first frame's time, `press(key)` (milliseconds until the frame
 * the key caused) and `unmount()`.
 */
export async function openBenchExplorer(files = 200_000) {
  // As bin/layerscope.js does: Ink must not take this for a CI run, which draws no frames, and
  // React runs its production build.
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
  process.env.NODE_ENV ??= 'production';
  // As src/app.ts does before it opens the explorer.
  (await import('../dist/src/collector.js')).holdHeapGrowth();
  const { createElement } = await import('react');
  const { render } = await import('ink');
  const { App } = await import('../dist/components/App.js');
  const { createTheme } = await import('../dist/components/theme.js');
  const { analysis, index, archiveBytes, image } = await benchImage(files);
  const snapshot = {
    status: 'ready',
    reference: 'bench/ui:200k',
    progress: { archiveBytes, blobsDone: analysis.layers.length },
    layers: analysis.layers.map((layer) => ({ index: layer.index, diffId: layer.diffId, instruction: layer.instruction, bytes: layer.bytes, ready: true })),
    readyLayers: analysis.layers.length,
    index,
    analysis,
  };
  const session = { subscribe: () => () => {}, getSnapshot: () => snapshot, load: async () => {} };

  const stdout = new Terminal();
  const stdin = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => stdin, ref: () => stdin, unref: () => stdin });

  const started = performance.now();
  const app = render(createElement(App, { session, exportReport: async () => 'report.md', theme: createTheme({ colour: true }) }), {
    stdout,
    stdin,
    stderr: stdout,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  while (stdout.writes === 0) await sleep(1);
  const firstFrame = stdout.lastWriteAt - started;
  await sleep(200);

  /** Writes the key and resolves with the milliseconds until the frame it caused was written. */
  async function press(key) {
    const before = stdout.writes;
    const at = performance.now();
    stdin.write(key);
    while (stdout.writes === before) {
      if (performance.now() - at > 5000) throw new Error(`no frame after key ${JSON.stringify(key)}`);
      await new Promise((resolve) => setImmediate(resolve));
    }
    return stdout.lastWriteAt - at;
  }
  return { image, firstFrame, press, unmount: () => app.unmount() };
}

/** The floor: a byte through a stdin like the explorer's, read back on the next loop turns, no UI. */
async function floorSample() {
  const probe = new PassThrough();
  const at = performance.now();
  const seen = new Promise((resolve) => probe.once('readable', () => resolve(performance.now() - at)));
  probe.write('j');
  return seen;
}

const TAB = '\t';
const ENTER = '\r';
const ESC = '\u001b';
const DOWN = '\u001b[B';
const UP = '\u001b[A';
const PGDN = '\u001b[6~';
const PGUP = '\u001b[5~';
const NAMES = { [TAB]: 'Tab', [ENTER]: 'Enter', [DOWN]: 'Down', [UP]: 'Up', [PGDN]: 'PgDn', [PGUP]: 'PgUp', [ESC]: 'Esc' };

/**
 * The issue's key targets, each a set of samples: on each of the last `layers` layers, a view the
 * explorer has not drawn before (the whole tree up to that layer: 180k-200k files), the keys a
 * person presses there, 100 ms apart. The first filter keystroke is typed before `]` has worked
 * out every folder of the view, as it would be. Starts on the layers pane at layer 0 (a fresh
 * explorer) and leaves it there.
 */
export async function keyTargets(explorer, layers = 5) {
  const samples = { open: [], filter: [], sort: [], navigation: [], other: [] };
  const press = async (key, into) => {
    const took = await explorer.press(key);
    if (into) samples[into].push(took);
    await sleep(100);
  };
  await press('G', 'navigation'); // the last layer
  for (let n = 0; n < layers; n++) {
    if (n > 0) await press('k', 'navigation'); // the layer above: a new view
    await press(TAB, 'navigation');
    await press('/');
    await press('l', 'filter'); // the first filter keystroke: `l` is in most paths
    await press(ESC, 'other');
    await press(']', 'open');
    for (const key of ['j', 'j', DOWN, PGDN, PGDN, UP, 'k', PGUP, 'G', 'g']) await press(key, 'navigation');
    await press('s', 'sort'); // by name
    await press(PGDN, 'navigation');
    await press('s', 'sort'); // by size again
    await press('[', 'other');
    for (const key of [TAB, TAB]) await press(key, 'navigation'); // back on the layers
  }
  await press('g', 'navigation');
  const { open, filter, sort, navigation, other } = samples;
  return [
    { label: '] (open all)', samples: open }, { label: 'first filter keystroke', samples: filter }, { label: 's (sort)', samples: sort },
    { label: 'navigation (j k arrows PgUp/PgDn g G Tab, layers)', samples: navigation }, { label: 'Esc (clear the filter), [ (close all)', samples: other },
  ].map((target) => ({ ...target, median: median(target.samples), max: Math.max(...target.samples) }));
}

/** One line per target: median, max, the ratio to the limit. */
export function keyTargetLine(target) {
  return `median ${ms(target.median)}, max ${ms(target.max)} (${target.samples.length} keys): ${(target.median / KEY_LIMIT_MS).toFixed(2)}x`;
}

// ---- Run on its own: the round of keys, then the targets. ----

async function main() {
  const option = (name, fallback) => {
    const at = process.argv.indexOf(name);
    return at >= 0 ? Number(process.argv[at + 1]) : fallback;
  };
  const KEYS = option('--keys', 100);
  const explorer = await openBenchExplorer(option('--files', 200_000));
  console.log(`image: ${explorer.image}`);
  console.log(`first frame: ${ms(explorer.firstFrame)} (${COLUMNS}x${ROWS})`);

  // Keys a person uses, each changing the screen: the targets first, on views not drawn before.
  console.log(`targets (each on views not drawn before, ${KEY_LIMIT_MS} ms each):`);
  for (const target of await keyTargets(explorer)) {
    console.log(`  ${target.median <= KEY_LIMIT_MS ? 'PASS' : 'FAIL'}  ${target.label.padEnd(52)} ${keyTargetLine(target)}`);
  }

  // Navigation and toggles a person uses, each changing the screen: layers (each a new tree view),
  // the tree (move, page, expand all 200k-file folders, collapse, modes, sort, hide, flagged),
  // the findings and their jump. Tab cycles layers → tree → findings.
  const round = [
    'j', 'j', 'j', 'k', DOWN, 'k', // layers 1, 2, 3, 2, 3, 2
    TAB, ENTER, 'j', 'j', DOWN, 'k', PGDN, ']', PGDN, PGDN, 'G', 'g', '[', // tree, expand all and back
    'a', 'a', 's', 's', 'u', 'u', 'w', 'w', // modes, sort, hide unchanged, flagged only
    TAB, 'j', 'k', ENTER, // findings: move, jump to the first one (focus goes to the tree)
    TAB, TAB, 'k', 'k', // back to the layers, up to layer 0
  ];
  const keys = Array.from({ length: KEYS }, (_, i) => round[i % round.length]);
  const pass = async (gapMs) => {
    const samples = [];
    for (const key of keys) {
      samples.push(await explorer.press(key));
      if (gapMs > 0) await sleep(gapMs);
    }
    return samples;
  };
  const floor = [];
  for (let i = 0; i < KEYS; i++) floor.push(await floorSample());
  const paced = await pass(100);
  await sleep(200);
  const held = await pass(0);
  explorer.unmount();

  const line = (name, samples) =>
    `${name.padEnd(7)} median ${ms(median(samples)).padStart(9)}   p95 ${ms(percentile(samples, 95)).padStart(9)}   max ${ms(Math.max(...samples)).padStart(9)}`;
  console.log(`round: ${KEYS} keys each (${round.length}-key round of navigation and toggles, repeated)`);
  console.log(line('floor', floor));
  console.log(`${line('paced', paced)}   p95 / 50 ms target: ${(percentile(paced, 95) / KEY_LIMIT_MS).toFixed(2)}`);
  console.log(`${line('held', held)}   (includes Ink's 30 fps frame throttle)`);
  const byKey = new Map();
  keys.forEach((key, i) => {
    const name = NAMES[key] ?? key;
    byKey.set(name, [...(byKey.get(name) ?? []), paced[i], held[i]]);
  });
  const slowest = [...byKey].map(([name, samples]) => [name, Math.max(...samples), median(samples)]).sort((a, b) => b[1] - a[1]);
  console.log(`slowest keys (max, median of both passes): ${slowest.slice(0, 6).map(([name, max, mid]) => `${name} ${max.toFixed(0)}/${mid.toFixed(0)}`).join(', ')} ms`);
  console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
