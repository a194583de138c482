// Part of `npm run build`: bundles dockerode and its dependency tree into
// dist/src/sources/engine-client.js, so the published package depends on no package with an
// install script (see src/sources/engine-client.ts for why), and writes the licences of what it
// bundled to dist/THIRD-PARTY-LICENSES.md.
//
// Left out, each replaced by a stub that fails loudly if ever reached: ssh2 (docker-modem's own ssh
// transport; layerscope reaches ssh engines through the system ssh, src/sources/ssh-dial.ts) and
// dockerode's BuildKit session (gRPC and protobufjs; `layerscope build` uses the classic builder API).

import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
// From the TypeScript source, not tsc's output: bundling is then the same however often it runs
// (two builds at once, or one after another, never bundle a bundle).
const entry = join(root, 'src/sources/engine-client.ts');
const target = join(root, 'dist/src/sources/engine-client.js');

const stubs = {
  ssh2: 'exports.Client = function Client() { throw new Error("the ssh2 transport is not bundled: layerscope dials ssh engines with the system ssh"); };',
  session: 'module.exports = function withSession(docker, auth, handler) { handler(new Error("BuildKit sessions are not bundled: layerscope builds with the classic builder")); };',
  buildkit: 'module.exports = {};',
};

/** Replaces the modules layerscope never runs with stubs, so their dependencies are not bundled. */
const leaveOut = {
  name: 'leave-out',
  setup(build) {
    build.onResolve({ filter: /^ssh2$/ }, () => ({ path: 'ssh2', namespace: 'stub' }));
    build.onResolve({ filter: /^\.\/(session|buildkit)$/ }, (args) =>
      args.importer.includes(`${join('node_modules', 'dockerode')}`) ? { path: args.path.slice(2), namespace: 'stub' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'stub' }, (args) => ({ contents: stubs[args.path], loader: 'js' }));
  },
};

const result = await build({
  entryPoints: [entry],
  outfile: target,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  metafile: true,
  logLevel: 'warning',
  legalComments: 'inline',
  // dockerode is CommonJS: its require() of Node's own modules needs a real require in ESM output.
  banner: { js: "import { createRequire as __layerscopeRequire } from 'node:module'; const require = __layerscopeRequire(import.meta.url);" },
  plugins: [leaveOut],
});

/** The package directory (with a package.json naming it) that holds a bundled file. */
function packageOf(file) {
  // Inside node_modules, wherever that is (a packing copy links the checkout's node_modules in).
  for (let dir = dirname(join(root, file)); dir.includes(`${sep}node_modules${sep}`); dir = dirname(dir)) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      if (manifest.name && manifest.version) return { dir, manifest };
    } catch {}
  }
  return undefined;
}

const packages = new Map();
for (const input of Object.keys(result.metafile.inputs)) {
  const found = packageOf(input);
  if (found) packages.set(`${found.manifest.name}@${found.manifest.version}`, found);
}
const sections = [...packages.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([id, { dir, manifest }]) => {
  const licence = readdirSync(dir).find((name) => /^(licen[cs]e|copying)(\.|$)/i.test(name));
  const text = licence ? readFileSync(join(dir, licence), 'utf8').trim() : `(no licence file; package.json says ${manifest.license})`;
  return `## ${id} (${manifest.license ?? 'see text'})\n\nFrom ${dir.slice(dir.lastIndexOf(`node_modules${sep}`))}.\n\n\`\`\`text\n${text}\n\`\`\`\n`;
});
writeFileSync(
  join(root, 'dist/THIRD-PARTY-LICENSES.md'),
  `# Third-party code bundled into dist/src/sources/engine-client.js\n\n${sections.join('\n')}`,
);
