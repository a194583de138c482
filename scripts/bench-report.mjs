#!/usr/bin/env node
// Report benchmark: `layerscope IMAGE --report json` against the floor of reading the engine's
// export at all — `docker save IMAGE | tar -xO --wildcards '*/layer.tar' | tar -ti` — measured
// in the same run, alternating, so a noisy shared machine affects both alike. Prints medians,
// the ratio to the floor, the cost of content hashing (--no-digest) and peak RSS.
//
//   node scripts/bench-report.mjs [IMAGE] [--runs N]      (default: layerscope-bench/big:latest, 5)

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args.splice(runsAt, 2)[1]) : 5;
const image = args[0] ?? 'layerscope-bench/big:latest';
const bin = fileURLToPath(new URL('../bin/layerscope.js', import.meta.url));

function timed(command, argv) {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, argv, { encoding: 'utf8', maxBuffer: 1 << 28 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) throw new Error(`${command} ${argv.join(' ')} failed:\n${result.stderr}`);
  return { seconds, stdout: result.stdout, stderr: result.stderr };
}

const floor = () => timed('bash', ['-c', `docker save '${image}' | tar -xO --wildcards '*/layer.tar' | tar -ti >/dev/null`]);
/** Runs layerscope under GNU time for its peak RSS (kB, the last stderr line). */
const ours = (...extra) => {
  const run = timed('/usr/bin/time', ['-f', '%M', process.execPath, bin, image, '--report', 'json', '--no-progress', ...extra]);
  const rssKb = Number(run.stderr.trim().split('\n').at(-1));
  return { ...run, rssKb };
};

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const info = JSON.parse(timed('docker', ['image', 'inspect', image]).stdout)[0];
console.log(`image ${image}: ${(info.Size / 1e6).toFixed(0)} MB, ${info.RootFS.Layers.length} layers; ${runs} runs each, alternating`);
floor(); // warm the engine's and the kernel's caches once, for both sides alike

const samples = { floor: [], ours: [], noDigest: [], rss: [] };
let report;
for (let i = 0; i < runs; i++) {
  const order = i % 2 ? ['ours', 'noDigest', 'floor'] : ['floor', 'noDigest', 'ours'];
  for (const which of order) {
    if (which === 'floor') samples.floor.push(floor().seconds);
    else {
      const run = which === 'ours' ? ours() : ours('--no-digest');
      samples[which].push(run.seconds);
      if (which === 'ours') {
        samples.rss.push(run.rssKb);
        report = JSON.parse(run.stdout);
      }
    }
  }
}

const files = report.layers.reduce((total, layer) => total + layer.entries.files + layer.entries.hardlinks, 0);
const floorMedian = median(samples.floor);
const line = (label, seconds) => console.log(`${label.padEnd(34)} median ${median(seconds).toFixed(2)} s  (${seconds.map((s) => s.toFixed(2)).join(' ')})  ratio ${(median(seconds) / floorMedian).toFixed(2)}`);
line('floor: docker save | tar | tar -t', samples.floor);
line('layerscope --report json', samples.ours);
line('layerscope --report json --no-digest', samples.noDigest);
const rssMb = median(samples.rss) / 1024;
console.log(`files in all layers: ${files}; image bytes ${report.figures.imageBytes}; final files ${report.figures.finalFiles}`);
console.log(`peak RSS median ${rssMb.toFixed(0)} MB = ${((rssMb / files) * 100_000).toFixed(0)} MB per 100k files`);
