// Stands in for `npm ci`, which cannot reach a registry here: writes two packages into
// node_modules (with a README each, as published packages have) and an npm cache beside them.
const fs = require('fs');
const crypto = require('crypto');
const write = (path, data) => { fs.mkdirSync(require('path').dirname(path), { recursive: true }); fs.writeFileSync(path, data); };
const random = (bytes, seed) => crypto.createHash('sha256').update(seed).digest('hex').repeat(Math.ceil(bytes / 64)).slice(0, bytes);
write('node_modules/left-pad-ish/package.json', '{"name":"left-pad-ish","version":"1.0.0","main":"index.js"}\n');
write('node_modules/left-pad-ish/index.js', 'module.exports = (s, n) => String(s).padStart(n);\n' + '// ' + random(40000, 'left-pad') + '\n');
write('node_modules/left-pad-ish/README.md', random(12000, 'left-pad-readme'));
write('node_modules/tiny-lib/package.json', '{"name":"tiny-lib","version":"2.1.0","main":"lib/index.js"}\n');
write('node_modules/tiny-lib/lib/index.js', 'exports.greet = (n) => "hello " + n;\n' + '// ' + random(150000, 'tiny-lib') + '\n');
write('node_modules/tiny-lib/README.md', random(8000, 'tiny-lib-readme'));
write('/root/.npm/_cacache/content-v2/sha512/aa/bb/tarball-1', random(250000, 'cache-1'));
write('/root/.npm/_cacache/content-v2/sha512/cc/dd/tarball-2', random(90000, 'cache-2'));
