// Part of `npm run build`: two bundles, each from its TypeScript source (bundling is then the same
// however often it runs: two builds at once, or one after another, never bundle a bundle), and
// the licences of the third-party code they hold, in dist/THIRD-PARTY-LICENSES.md.
//
// - dist/src/sources/engine-client.js: dockerode and its dependency tree, so the published
//   package depends on no package with an install script (see src/sources/engine-client.ts).
//   Left out, each replaced by a stub that fails loudly if ever reached: ssh2 (docker-modem's own
//   ssh transport; layerscope reaches ssh engines through the system ssh, src/sources/ssh-dial.ts)
//   and dockerode's BuildKit session (gRPC and protobufjs; `layerscope build` uses the classic
//   builder API).
// - dist/components/run-explorer.js: the explorer's views with Ink and React, in place of tsc's
//   output. Node resolves, reads and compiles every module file apart, and Ink's tree alone is
//   some 580 files: one file is what lets the explorer's first frame come within ~300 ms of the
//   start. Everything under src/ stays outside, loaded from dist/src as tsc wrote it (one copy
//   of each module: the errors bin/ tells apart by class are the same classes), and React's
//   production build only (bin/layerscope.js runs it so).

import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

const stubs = {
  ssh2: 'exports.Client = function Client() { throw new Error("the ssh2 transport is not bundled: layerscope dials ssh engines with the system ssh"); };',
  session: 'module.exports = function withSession(docker, auth, handler) { handler(new Error("BuildKit sessions are not bundled: layerscope builds with the classic builder")); };',
  buildkit: 'module.exports = {};',
  // Ink imports it only when DEV=true, for React's devtools; not installed, Ink says so and goes on.
  'react-devtools-core': 'throw Object.assign(new Error("react-devtools-core is not bundled"), { code: "ERR_MODULE_NOT_FOUND" });',
};

/** Replaces the modules layerscope never runs with stubs, so their dependencies are not bundled. */
const leaveOut = {
  name: 'leave-out',
  setup(build) {
    build.onResolve({ filter: /^(ssh2|react-devtools-core)$/ }, (args) => ({ path: args.path, namespace: 'stub' }));
    build.onResolve({ filter: /^\.\/(session|buildkit)$/ }, (args) =>
      args.importer.includes(`${join('node_modules', 'dockerode')}`) ? { path: args.path.slice(2), namespace: 'stub' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'stub' }, (args) => ({ contents: stubs[args.path], loader: 'js' }));
  },
};

/** Leaves the project's src/ modules out of the views' bundle: imported at run time from dist/src. */
const keepSrcApart = {
  name: 'keep-src-apart',
  setup(build) {
    build.onResolve({ filter: /^\.\.?\// }, (args) => {
      if (!join(args.resolveDir, args.path).startsWith(join(root, 'src') + sep)) return undefined;
      // The path is kept as written: right from the output's folder only if written from components/.
      if (relative(root, args.resolveDir) !== 'components') throw new Error(`${args.importer} imports ${args.path}: only components/ may import src/ in the views' bundle`);
      return { path: args.path, external: true };
    });
  },
};

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  metafile: true,
  logLevel: 'warning',
  legalComments: 'inline',
  // CommonJS dependencies' require() of Node's own modules needs a real require in ESM output.
  banner: { js: "import { createRequire as __layerscopeRequire } from 'node:module'; const require = __layerscopeRequire(import.meta.url);" },
};

const bundles = await Promise.all([
  build({ ...common, entryPoints: [join(root, 'src/sources/engine-client.ts')], outfile: join(root, 'dist/src/sources/engine-client.js'), plugins: [leaveOut] }),
  build({
    ...common,
    entryPoints: [join(root, 'components/run-explorer.tsx')],
    outfile: join(root, 'dist/components/run-explorer.js'),
    allowOverwrite: true,
    // Yoga's loader fetches its own wasm (a data: URL) when fetch exists, which loads Node's whole
    // HTTP client (undici) before the first frame; without fetch it decodes the bytes itself.
    define: { 'process.env.NODE_ENV': '"production"', fetch: 'undefined' },
    plugins: [leaveOut, keepSrcApart],
  }),
]);

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
for (const input of bundles.flatMap((result) => Object.keys(result.metafile.inputs))) {
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
  `# Third-party code bundled into dist/src/sources/engine-client.js and dist/components/run-explorer.js\n\n${sections.join('\n')}`,
);
