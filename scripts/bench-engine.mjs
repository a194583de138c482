// The engine's targets for the scale benchmark (bench-scale.mjs runs this; `--skip engine` leaves
// it out): a report from the Docker Engine against the engine's own export piped through tar, and
// where the time goes: until its first byte the export is the engine's alone (Docker 20.10 writes
// the image to a temporary directory first); what follows is the transfer both pipelines share.

import { spawnSync } from 'node:child_process';

export function engineTargets({ runs: RUNS, images: IMAGES, skip, compare, median, target, fmt, ours, q }) {
  for (const name of ['big', 'many']) {
    if (skip.has(name)) continue;
    const image = IMAGES[name];
    const runs = compare({
      floor: `docker save ${q(image)} | tar -xO --wildcards '*/layer.tar' | tar -t >/dev/null`,
      ours: ours(image),
    });
    console.log(`\nengine ${name}: export floor ${fmt(runs.floor)}; layerscope ${fmt(runs.ours)} (${runs.ours.all})`);
    const first = median(Array.from({ length: RUNS }, () => firstByte(image)));
    console.log(`engine ${name}: the export's first byte after ${first.toFixed(2)} s (median); after it, the floor takes ${(runs.floor.seconds - first).toFixed(2)} s and layerscope ${(runs.ours.seconds - first).toFixed(2)} s`);
    target(`report from the engine, ${name}: time vs export floor`, `${runs.ours.seconds.toFixed(2)} s: ${(runs.ours.seconds / runs.floor.seconds).toFixed(2)}x`, '≤ 1.15x', runs.ours.seconds <= 1.15 * runs.floor.seconds);
  }
}

/** Seconds from starting `docker save IMAGE` to its first byte on stdout. */
function firstByte(image) {
  const script = `const t=process.hrtime.bigint();const p=require('node:child_process').spawn('docker',['save',process.argv[1]]);p.stdout.once('data',()=>{console.log(Number(process.hrtime.bigint()-t)/1e9);p.kill()})`;
  return Number(spawnSync('node', ['-e', script, image], { encoding: 'utf8' }).stdout.trim());
}
