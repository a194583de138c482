// The one place that loads the Docker Engine client (dockerode). The published package carries it
// bundled into this module (scripts/bundle.mjs): dockerode's dependency tree has
// install scripts layerscope never needs (ssh2's native crypto, for ssh done here by the system
// ssh; protobufjs, for BuildKit sessions layerscope does not open), and npm 11 lists them on every
// install. Development and tests load it from node_modules as usual.

import Docker from 'dockerode';

export { Docker };
