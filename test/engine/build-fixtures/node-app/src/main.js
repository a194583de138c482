// The app: prints a greeting through its two dependencies.
const pad = require('left-pad-ish');
const { greet } = require('tiny-lib');
console.log(pad(greet('layerscope'), 30));
