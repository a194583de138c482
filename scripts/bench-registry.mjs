#!/usr/bin/env node
// Registry benchmark: `layerscope registry://… --report json` against the floor of downloading
// the same blobs at all (manifest, config and every layer fetched and discarded, one after
// another, as curl would), and against reading the same image from the engine, alternating in
// one run on a Distribution v2 registry (Debian's docker-registry) started here on 127.0.0.1.
// Every read is cold: there is no layer cache yet. Prints medians and ratios.
//
//   node scripts/bench-registry.mjs [IMAGE] [--runs N]   (default: layerscope-fixture/c-single-stage:latest, 3)

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args.splice(runsAt, 2)[1]) : 3;
const image = args[0] ?? 'layerscope-fixture/c-single-stage:latest';
const bin = fileURLToPath(new URL('../bin/layerscope.js', import.meta.url));

const port = await new Promise((resolve) => {
  const server = createServer().listen(0, '127.0.0.1', () => {
    const { port: free } = server.address();
    server.close(() => resolve(free));
  });
});
const dir = mkdtempSync(join(tmpdir(), 'layerscope-bench-registry-'));
writeFileSync(join(dir, 'config.yml'), `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${dir}/data\nhttp:\n  addr: 127.0.0.1:${port}\n`);
const registry = spawn('docker-registry', ['serve', join(dir, 'config.yml')], { stdio: 'ignore' });
const host = `127.0.0.1:${port}`;
const repo = 'bench/image';
try {
  for (let i = 0; i < 100 && !(await fetch(`http://${host}/v2/`).then(() => true, () => false)); i++) await new Promise((r) => setTimeout(r, 100));
  execFileSync('docker', ['tag', image, `${host}/${repo}:bench`]);
  execFileSync('docker', ['push', '-q', `${host}/${repo}:bench`], { stdio: 'ignore' });
  execFileSync('docker', ['rmi', `${host}/${repo}:bench`], { stdio: 'ignore' });

  const timed = async (work) => {
    const start = process.hrtime.bigint();
    await work();
    return Number(process.hrtime.bigint() - start) / 1e9;
  };
  const download = async () => {
    const accept = 'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json';
    const manifest = await (await fetch(`http://${host}/v2/${repo}/manifests/bench`, { headers: { accept } })).json();
    let bytes = 0;
    for (const blob of [manifest.config, ...manifest.layers]) {
      const response = await fetch(`http://${host}/v2/${repo}/blobs/${blob.digest}`);
      for await (const chunk of response.body) bytes += chunk.length;
    }
    return bytes;
  };
  const layerscope = (name) => () => {
    const result = spawnSync(process.execPath, [bin, name, '--report', 'json', '--no-progress'], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`layerscope ${name} failed: ${result.stderr}`);
  };
  const times = { floor: [], registry: [], engine: [] };
  let bytes = 0;
  for (let run = 0; run < runs; run++) {
    times.floor.push(await timed(async () => (bytes = await download())));
    times.registry.push(await timed(layerscope(`registry://${host}/${repo}:bench`)));
    times.engine.push(await timed(layerscope(image)));
  }
  const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
  const [floor, fromRegistry, fromEngine] = [median(times.floor), median(times.registry), median(times.engine)];
  console.log(`image ${image}: ${(bytes / 1e6).toFixed(1)} MB of blobs, ${runs} runs, medians (cold: no layer cache exists)`);
  console.log(`  download the blobs (floor)          ${floor.toFixed(2)} s`);
  console.log(`  layerscope registry://… --report json ${fromRegistry.toFixed(2)} s  (${(fromRegistry / floor).toFixed(2)}x the floor)`);
  console.log(`  layerscope IMAGE --report json (engine) ${fromEngine.toFixed(2)} s  (registry / engine ${(fromRegistry / fromEngine).toFixed(2)}x)`);
} finally {
  registry.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
