// Errors a user can act on. Each carries a one-line message and a hint; bin/ prints both and
// exits 2. Anything that is not a LayerscopeError is a bug and is printed with its stack.

export abstract class LayerscopeError extends Error {
  abstract readonly hint: string;
  /** Exit code bin/ uses for this error. */
  readonly exitCode: number = 2;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class UsageError extends LayerscopeError {
  constructor(
    message: string,
    readonly hint: string = 'run `layerscope --help` for the forms it accepts',
  ) {
    super(message);
  }
}

export class EngineUnavailableError extends LayerscopeError {
  readonly hint: string;
  constructor(
    readonly endpoint: string,
    readonly reason: string,
  ) {
    super(`cannot reach the Docker Engine at ${endpoint} (${reason})`);
    this.hint =
      'start the engine, or point layerscope at another one with --host, DOCKER_HOST or `docker context use`; ' +
      'to read a saved image instead: layerscope docker-archive:IMAGE.tar';
  }
}

export class EnginePermissionError extends LayerscopeError {
  readonly hint: string;
  constructor(readonly endpoint: string) {
    super(`permission denied on the Docker Engine socket ${endpoint}`);
    this.hint =
      'add your user to the docker group (then log in again), run with sudo, ' +
      'or use a rootless engine through DOCKER_HOST';
  }
}

export class ImageNotFoundError extends LayerscopeError {
  readonly hint: string;
  constructor(
    readonly ref: string,
    readonly endpoint: string,
  ) {
    super(`image ${ref} not found in the engine at ${endpoint}`);
    this.hint = `pull it first (docker pull ${ref}), or check the name with \`docker image ls\``;
  }
}

export class ArchiveNotFoundError extends LayerscopeError {
  readonly hint = 'check the path; create an archive with `docker save IMAGE -o IMAGE.tar`';
  constructor(readonly path: string) {
    super(`no such file or directory: ${path}`);
  }
}

export class ArchiveChangedError extends LayerscopeError {
  readonly hint = 'open the image again to see it as the file is now';
  constructor(readonly path: string) {
    super(`${path} has changed since it was read (or is gone): its files are not shown from another archive`);
  }
}

export class InvalidArchiveError extends LayerscopeError {
  readonly hint: string;
  constructor(
    readonly source: string,
    readonly problem: string,
    hint?: string,
  ) {
    super(`${source} is not a readable image archive: ${problem}`);
    this.hint =
      hint ??
      'expected a `docker save` tar (plain or gzip) or an OCI image layout; re-create it with `docker save IMAGE -o IMAGE.tar`';
  }
}

export class CorruptLayerError extends LayerscopeError {
  readonly hint: string;
  constructor(
    /** The layer as the archive names it: `<id>/layer.tar` or `blobs/sha256/<digest>`. */
    readonly layer: string,
    readonly problem: string,
  ) {
    super(`layer ${layer} is truncated or corrupt: ${problem}`);
    this.hint =
      'the archive is damaged: save it again (docker save), or if it came from the engine, check its disk and try again';
  }
}

export class MissingBlobError extends LayerscopeError {
  readonly hint: string;
  constructor(
    readonly blob: string,
    readonly role: string,
  ) {
    super(`the archive does not contain the ${role} blob ${blob}`);
    this.hint =
      'a known engine bug: exports from the containerd image store can omit blobs shared with other images; ' +
      'work around it with `skopeo copy docker-daemon:IMAGE oci:DIR` and read oci:DIR, or save from an engine without the containerd store';
  }
}

export class UnknownPlatformError extends LayerscopeError {
  readonly hint: string;
  constructor(
    readonly wanted: string,
    readonly available: readonly string[],
  ) {
    super(`the image has no manifest for platform ${wanted}`);
    this.hint = `choose one with --platform: ${available.join(', ') || '(none listed)'}`;
  }
}

export class OutputError extends LayerscopeError {
  readonly hint = 'check that the directory exists and is writable';
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`cannot write ${path}: ${reason}`);
  }
}

/** `layerscope build`: the engine could not build a stage. */
export class BuildFailedError extends LayerscopeError {
  readonly hint = 'the build output above says why; fix the Dockerfile or the context and run it again';
  constructor(
    readonly stage: string,
    readonly reason: string,
  ) {
    super(`the build of stage ${stage} failed: ${reason}`);
  }
}

/** A name that is no image reference, by the grammar the docker CLI uses. */
export class InvalidReferenceError extends LayerscopeError {
  constructor(
    readonly reference: string,
    readonly problem: string,
    readonly hint: string,
  ) {
    super(`"${reference}" is not a valid image reference: ${problem}`);
  }
}

/** The engine was reached and had the image, but failed while writing its export. */
export class EngineExportError extends LayerscopeError {
  readonly hint = 'the engine\'s log says why (journalctl -u docker, or dockerd\'s output); `docker save IMAGE -o x.tar` shows the same failure';
  constructor(
    readonly ref: string,
    readonly reason: string,
  ) {
    super(`the engine failed to export ${ref}: ${reason}`);
  }
}

/** The engine went quiet: no answer, or no bytes of the export, for the whole idle timeout. */
export class EngineTimeoutError extends LayerscopeError {
  readonly hint: string;
  constructor(
    readonly endpoint: string,
    /** What was waited for: `the image inspect`, `the export of busybox:latest`. */
    readonly waitingFor: string,
    readonly timeoutMs: number,
  ) {
    super(`the Docker Engine at ${endpoint} sent nothing for ${formatDuration(timeoutMs)} while layerscope waited for ${waitingFor}`);
    this.hint = 'check the engine (`docker info`); if it is only slow, allow more with --timeout, e.g. --timeout 10m';
  }
}

/** The engine answered, but not with what its API documents. */
export class EngineResponseError extends LayerscopeError {
  readonly hint = 'the engine (or a proxy in front of it) answered something unexpected; check it with `docker version` and `docker image inspect`';
  constructor(
    readonly endpoint: string,
    readonly document: string,
    readonly problem: string,
  ) {
    super(`the Docker Engine at ${endpoint} sent a malformed ${document}: ${problem}`);
  }
}

/** More entries than memory allows: stopped before the heap runs out. */
export class TooManyEntriesError extends LayerscopeError {
  readonly hint: string;
  constructor(
    readonly source: string,
    readonly limit: number,
  ) {
    super(`${source} has more than ${limit} entries (files, directories, whiteouts and archive members), the limit --max-entries set`);
    this.hint = 'raise --max-entries, or leave it out: without it the read goes on while the heap holds the image';
  }
}

/** The heap would not hold the image: stopped while a message can still be printed (V8's own end is a crash). */
export class HeapLimitError extends LayerscopeError {
  readonly hint = 'give Node more heap and run again, e.g. NODE_OPTIONS=--max-old-space-size=8192 (MB; the machine must have the memory)';
  constructor(
    readonly source: string,
    readonly entries: number,
    /** The heap limit in bytes. */
    readonly limit: number,
  ) {
    super(`${source}: stopped after ${entries} entries, before running out of memory (Node's heap is limited to ${Math.round(limit / 2 ** 20)} MB)`);
  }
}

/** A file the user named could not be read (permissions, a directory, a disk error). */
export class FileReadError extends LayerscopeError {
  readonly hint: string;
  constructor(
    readonly path: string,
    readonly code: string | undefined,
  ) {
    super(`cannot read ${path}: ${fileProblem(code)}`);
    this.hint =
      code === 'EACCES' || code === 'EPERM'
        ? 'a `sudo docker save -o` file belongs to root: `sudo chown $USER FILE`, or run layerscope with the same rights'
        : code === 'EISDIR'
          ? 'name the archive file, or an OCI layout directory with oci:PATH'
          : 'check the file and the disk it is on (dmesg may say more), then save the image again';
  }
}

function fileProblem(code: string | undefined): string {
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory';
    case 'EIO':
      return 'an input/output error (a failing disk or network file system?)';
    case 'ELOOP':
      return 'too many symbolic links';
    default:
      return code ?? 'unknown error';
  }
}

/** `90s`, `2m`, `1h30m` — the way --timeout is written. */
function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 120 || seconds % 60 !== 0) return `${seconds}s`;
  return `${seconds / 60}m`;
}

/** The TLS handshake with the engine failed: the cause named, and what to check. */
export class EngineTlsError extends LayerscopeError {
  constructor(
    readonly endpoint: string,
    readonly problem: string,
    readonly hint: string,
  ) {
    super(`TLS with the Docker Engine at ${endpoint} failed: ${problem}`);
  }
}

/** ssh:// engines: the system ssh failed (host key, keys, no docker on the host); ssh's own words. */
export class EngineSshError extends LayerscopeError {
  readonly hint =
    'check that `ssh HOST docker version` works (keys, agent, ~/.ssh/config, the docker CLI on the host); ' +
    'a changed host key is refused on purpose: if it changed for a known reason, `ssh-keygen -R HOST` and connect once with ssh';
  constructor(
    readonly endpoint: string,
    readonly problem: string,
  ) {
    super(`ssh to the Docker Engine at ${endpoint} failed: ${problem}`);
  }
}
