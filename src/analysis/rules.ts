// The rule table: what layerscope flags in an image, and the advice for each. Rules are data —
// adding one is adding a row. Path rules look at the files of the final tree; the three
// `hidden` rules classify unreachable bytes (see hidden-versions.ts).
//
// Patterns match normalised paths (no leading slash). `fromContext` rules only count files a
// COPY or ADD brought in, so `/usr/lib/python3/…/tests/` from a package is never "build context".

export type Category =
  | 'deleted-later'
  | 'overwritten'
  | 'metadata-only'
  | 'package-cache'
  | 'language-cache'
  | 'toolchain'
  | 'build-context'
  | 'temp'
  | 'docs';

export type Severity = 'high' | 'low';

/** What each category means, for formats that describe their rules (SARIF, JUnit, code quality). */
export const CATEGORY_DESCRIPTIONS: Readonly<Record<Category, string>> = {
  'deleted-later': 'Bytes a layer ships that a later layer deletes: the image still carries them',
  overwritten: 'Bytes a layer ships that a later layer overwrites: the image carries both versions',
  'metadata-only': 'Files copied again with the same content only to change mode, owner or time',
  'package-cache': 'Package manager caches and lists (apt, apk, dnf/yum/zypper) left in the image',
  'language-cache': 'Language package and build caches (npm, yarn, pnpm, pip, Go, Maven, Gradle, Cargo, ccache, __pycache__)',
  toolchain: 'Compilers, build tools, headers and static libraries in a runtime image',
  'build-context': 'Files a COPY brought from the build context that do not run (.git, .env, host node_modules, tests, CI files)',
  temp: 'Temporary files and package-manager logs',
  docs: 'Documentation, man pages and locales',
};

export interface PathRule {
  readonly kind: 'path';
  readonly id: string;
  readonly category: Category;
  readonly severity: Severity;
  readonly title: string;
  /** Any of these matches the path. */
  readonly patterns: readonly RegExp[];
  /** None of these may match. */
  readonly except?: readonly RegExp[];
  /** Only files added by a COPY or ADD instruction. */
  readonly fromContext?: boolean;
  /** The path only counts if this sibling-relative path exists too (`../x.py` for a .pyc). */
  readonly requiresSource?: (path: string) => string | undefined;
  /** Not a finding in a builder image, where it is expected. */
  readonly runtimeOnly?: boolean;
  /**
   * Where the image's dpkg database names the file's package, the file counts only if that package
   * matches (a JRE package's lib/ct.sym is not a JDK). Files no package owns go by the path alone.
   */
  readonly ownedBy?: RegExp;
  readonly advice: string;
}

export interface HiddenRule {
  readonly kind: 'hidden';
  readonly id: string;
  readonly category: 'deleted-later' | 'overwritten' | 'metadata-only';
  readonly severity: Severity;
  readonly title: string;
  readonly advice: string;
}

export type Rule = PathRule | HiddenRule;

const under = (dir: string): RegExp => new RegExp(`(^|/)${dir.replace(/[.+]/g, '\\$&')}/`);

export const HIDDEN_RULES: readonly HiddenRule[] = [
  {
    kind: 'hidden', id: 'deleted-later', category: 'deleted-later', severity: 'high',
    title: 'Files deleted by a later layer',
    advice: 'delete them in the same RUN that creates them, or create them in a builder stage',
  },
  {
    kind: 'hidden', id: 'overwritten', category: 'overwritten', severity: 'high',
    title: 'Files overwritten by a later layer',
    advice: 'write each file once: combine the steps, or order them so the final version is written first',
  },
  {
    kind: 'hidden', id: 'metadata-only', category: 'metadata-only', severity: 'high',
    title: 'Files copied again only to change mode, owner or time',
    advice: 'set mode and owner where the file is created: COPY --chmod/--chown, or chmod/chown in the creating RUN',
  },
];

/** In table order: a file counts for the first rule it matches. More specific rules come first. */
export const PATH_RULES: readonly PathRule[] = [
  // Package managers
  {
    kind: 'path', id: 'apt-lists', category: 'package-cache', severity: 'high', title: 'APT package lists',
    patterns: [/^var\/lib\/apt\/lists\/(?!lock$)/],
    advice: 'add `&& rm -rf /var/lib/apt/lists/*` at the end of the RUN that runs apt-get update',
  },
  {
    kind: 'path', id: 'apt-archives', category: 'package-cache', severity: 'high', title: 'Downloaded .deb packages and APT caches',
    patterns: [/^var\/cache\/apt\/archives\/.*\.deb$/, /^var\/cache\/apt\/(src)?pkgcache\.bin$/],
    advice: 'run `apt-get clean` in the same RUN as apt-get install (or use a cache mount)',
  },
  {
    kind: 'path', id: 'apk-cache', category: 'package-cache', severity: 'high', title: 'APK package cache',
    patterns: [/^var\/cache\/apk\/./, /^etc\/apk\/cache\/./],
    advice: 'use `apk add --no-cache`',
  },
  {
    kind: 'path', id: 'dnf-yum-cache', category: 'package-cache', severity: 'high', title: 'DNF/YUM/Zypper caches',
    patterns: [/^var\/cache\/(dnf|yum|libdnf5|zypp)\/./],
    advice: 'end the RUN with `dnf clean all` (or `yum clean all`, `zypper clean -a`), or install with `--setopt=keepcache=0`',
  },
  // Language package caches
  {
    kind: 'path', id: 'npm-cache', category: 'language-cache', severity: 'high', title: 'npm cache',
    patterns: [under('.npm/_cacache'), under('.npm/_logs'), under('.npm/_npx')],
    advice: 'run `npm ci --omit=dev && npm cache clean --force` in one RUN, or use a cache mount for ~/.npm',
  },
  {
    kind: 'path', id: 'yarn-cache', category: 'language-cache', severity: 'high', title: 'Yarn cache',
    patterns: [under('.cache/yarn'), under('.yarn-cache'), /^usr\/local\/share\/\.cache\/yarn\//],
    advice: 'run `yarn install --frozen-lockfile && yarn cache clean` in one RUN, or use a cache mount',
  },
  {
    kind: 'path', id: 'pnpm-store', category: 'language-cache', severity: 'high', title: 'pnpm store',
    patterns: [under('.local/share/pnpm/store'), under('.pnpm-store'), under('.cache/pnpm')],
    advice: 'run `pnpm store prune` in the same RUN, or use a cache mount for the store',
  },
  {
    kind: 'path', id: 'pip-cache', category: 'language-cache', severity: 'high', title: 'pip cache',
    patterns: [under('.cache/pip'), under('.cache/pypoetry/cache'), under('.cache/uv')],
    advice: 'use `pip install --no-cache-dir` (or PIP_NO_CACHE_DIR=1), or a cache mount',
  },
  {
    kind: 'path', id: 'go-build-cache', category: 'language-cache', severity: 'high', title: 'Go build cache',
    patterns: [under('.cache/go-build')],
    advice: 'build in a builder stage, or use `--mount=type=cache,target=/root/.cache/go-build`',
  },
  {
    kind: 'path', id: 'go-module-cache', category: 'language-cache', severity: 'high', title: 'Go module cache', runtimeOnly: true,
    patterns: [/^go\/pkg\/mod\//, /^root\/go\/pkg\/mod\//, /^home\/[^/]+\/go\/pkg\/mod\//],
    advice: 'build in a builder stage and copy only the binary, or use a cache mount for /go/pkg/mod',
  },
  {
    kind: 'path', id: 'maven-gradle-cache', category: 'language-cache', severity: 'high', title: 'Maven/Gradle caches',
    patterns: [under('.m2/repository'), under('.gradle/caches'), under('.gradle/wrapper/dists')],
    advice: 'build in a builder stage and copy only the jar, or use a cache mount',
  },
  {
    kind: 'path', id: 'cargo-cache', category: 'language-cache', severity: 'high', title: 'Cargo registry and git caches',
    patterns: [under('.cargo/registry'), under('.cargo/git'), /^usr\/local\/cargo\/(registry|git)\//],
    advice: 'build in a builder stage and copy only the binary, or use a cache mount',
  },
  {
    kind: 'path', id: 'ccache', category: 'language-cache', severity: 'high', title: 'ccache',
    patterns: [under('.ccache'), under('.cache/ccache')],
    advice: 'use a cache mount for ccache, or clear it in the same RUN',
  },
  {
    kind: 'path', id: 'pycache', category: 'language-cache', severity: 'low', title: 'Python bytecode next to its sources',
    patterns: [/(^|\/)__pycache__\/[^/]+\.pyc$/],
    requiresSource: (path) => {
      const match = /^(.*\/)?__pycache__\/([^/.]+)\.[^/]*pyc$/.exec(path);
      return match ? `${match[1] ?? ''}${match[2]}.py` : undefined;
    },
    // PYTHONDONTWRITEBYTECODE does not stop them: apt's python3 (py3compile), `python3 -m venv` and
    // pip byte-compile whatever it says (seen on Debian bookworm: 544 .pyc from apt, 723 from venv).
    advice: 'they are byte-compiled on install (apt, `python3 -m venv` and pip do it whatever PYTHONDONTWRITEBYTECODE says): if size matters more than start-up time, end the RUN that installs them with `&& find / -xdev -name __pycache__ -prune -exec rm -rf {} +` (for pip alone, `pip install --no-compile`)',
  },
  // Toolchains in a runtime image
  {
    // Not a C compiler: the code generator rustc and clang link, and Mesa's software renderer too.
    kind: 'path', id: 'llvm-library', category: 'toolchain', severity: 'low', title: 'LLVM library (the back end of rustc and clang)', runtimeOnly: true,
    patterns: [/^usr\/lib\/[a-z0-9_]+-linux-gnu\/libLLVM[-.]/, /^usr\/lib\/llvm-\d+\/lib\/libLLVM/],
    advice: 'needed at run time only by what compiles (rustc, clang) or renders with Mesa: if nothing of that runs here, install the package that pulls it in only in a builder stage',
  },
  {
    kind: 'path', id: 'c-toolchain', category: 'toolchain', severity: 'high', title: 'C/C++ compilers and binutils', runtimeOnly: true,
    patterns: [
      /^usr\/(lib|libexec)\/gcc(-cross)?\//,
      /^usr\/bin\/([a-z0-9_]+-linux-gnu[a-z]*-)?(gcc|g\+\+|cc|c\+\+|cpp|gcc-ar|gcc-nm|gcc-ranlib|lto-dump)(-\d+)?$/,
      /^usr\/bin\/([a-z0-9_]+-linux-gnu[a-z]*-)?(as|ld|ld\.bfd|ld\.gold|gold|objdump|gprof|dwp)$/,
      /^usr\/bin\/(clang|clang\+\+|clang-cpp)(-\d+)?$/, /^usr\/lib\/llvm-\d+\/(?!lib\/libLLVM)/,
    ],
    advice: 'compile in a builder stage (`FROM … AS build`) and COPY --from=build only the artifacts',
  },
  {
    kind: 'path', id: 'build-tools', category: 'toolchain', severity: 'high', title: 'Build tools (make, cmake, ninja, node-gyp)', runtimeOnly: true,
    patterns: [/^usr\/bin\/(make|gmake|cmake|ctest|cpack|ninja|autoconf|automake|libtool)$/, /^usr\/share\/cmake-[\d.]+\//, under('node-gyp'), under('.cache/node-gyp')],
    advice: 'build in a builder stage and copy only the result',
  },
  {
    kind: 'path', id: 'go-toolchain', category: 'toolchain', severity: 'high', title: 'Go toolchain', runtimeOnly: true,
    patterns: [/^usr\/local\/go\//, /^usr\/lib\/go-[\d.]+\//, /^usr\/lib\/go\//],
    advice: 'build with the Go image as a builder stage and copy only the binary (CGO_ENABLED=0 lets it run FROM scratch)',
  },
  {
    kind: 'path', id: 'rust-toolchain', category: 'toolchain', severity: 'high', title: 'Rust toolchain', runtimeOnly: true,
    patterns: [
      under('.rustup/toolchains'), /^usr\/local\/rustup\//, /^usr\/local\/cargo\/bin\//, /^usr\/lib\/rustlib\//, /^usr\/bin\/(rustc|rustdoc|cargo)$/,
      /^usr\/lib\/[a-z0-9_]+-linux-gnu\/librustc_driver-[0-9a-f]+\.so$/,
    ],
    advice: 'build in a builder stage and copy only the binary from target/release',
  },
  {
    kind: 'path', id: 'rust-target', category: 'toolchain', severity: 'high', title: "Cargo's build output (target/)", runtimeOnly: true,
    patterns: [/(^|\/)target\/(release|debug)\//],
    // The binaries at the top of target/release are the artifact (cargo links them to deps/).
    except: [/(^|\/)target\/(release|debug)\/[^/]+$/],
    // Only a directory cargo made: it leaves .rustc_info.json at the top of target/.
    requiresSource: (path) => /^(.*\/)?target\//.exec(path)?.[0]?.concat('.rustc_info.json'),
    advice: 'build in a builder stage and COPY --from it only target/release/NAME, the binary',
  },
  {
    kind: 'path', id: 'jdk-tools', category: 'toolchain', severity: 'high', title: 'JDK compiler and development files', runtimeOnly: true,
    patterns: [/(^|\/)bin\/javac$/, /(^|\/)jmods\//, /(^|\/)lib\/(ct\.sym|src\.zip|tools\.jar)$/],
    ownedBy: /^[^:]*-jdk(-headless)?(:|$)/,
    advice: 'run on a JRE (or a jlink-ed runtime) and compile in a builder stage',
  },
  {
    kind: 'path', id: 'headers-static-libs', category: 'toolchain', severity: 'high', title: 'C headers and static libraries', runtimeOnly: true,
    patterns: [/^usr\/(local\/)?include\//, /^(usr\/)?(local\/)?lib(64|32)?\/([^/]+\/)*[^/]+\.a$/],
    advice: 'install -dev packages only in a builder stage; the runtime needs the shared libraries alone',
  },
  // What a COPY brought from the build context
  {
    kind: 'path', id: 'git-dir', category: 'build-context', severity: 'high', title: 'A .git directory', fromContext: true,
    patterns: [/(^|\/)\.git\//],
    advice: 'add `.git` to .dockerignore',
  },
  {
    kind: 'path', id: 'env-file', category: 'build-context', severity: 'high', title: '.env files (may hold secrets)', fromContext: true,
    patterns: [/(^|\/)\.env(\.[^/]+)?$/],
    except: [/\.(example|sample|template|dist)$/],
    advice: 'add `.env*` to .dockerignore; pass secrets at run time or with `RUN --mount=type=secret`',
  },
  {
    kind: 'path', id: 'host-node-modules', category: 'build-context', severity: 'high', title: 'node_modules copied from the host', fromContext: true,
    patterns: [/(^|\/)node_modules\//],
    advice: 'add `node_modules` to .dockerignore and install inside the image (`npm ci`)',
  },
  {
    kind: 'path', id: 'context-tests', category: 'build-context', severity: 'low', title: 'Tests and build files from the context', fromContext: true,
    patterns: [/(^|\/)(tests?|__tests__|spec|\.github|\.vscode|\.idea)\//, /(^|\/)(Dockerfile|docker-compose\.ya?ml|\.dockerignore)$/],
    advice: 'copy only what runs: list those paths in .dockerignore, or COPY specific directories',
  },
  // Temporary files and logs
  {
    kind: 'path', id: 'temp-files', category: 'temp', severity: 'high', title: 'Temporary files',
    patterns: [/^tmp\/./, /^var\/tmp\/./],
    advice: 'remove temporary files in the same RUN that creates them (or use a tmpfs mount)',
  },
  {
    kind: 'path', id: 'build-logs', category: 'temp', severity: 'low', title: 'Package manager logs',
    patterns: [/^var\/log\/(apt\/|dpkg\.log$|alternatives\.log$|bootstrap\.log$|dnf[^/]*\.log$|yum\.log$)/],
    advice: 'remove /var/log/apt, /var/log/dpkg.log and similar in the same RUN',
  },
  // Documentation (optional to remove)
  {
    kind: 'path', id: 'docs', category: 'docs', severity: 'low', title: 'Documentation, man pages and locales',
    patterns: [/^usr\/share\/(doc|man|info|gtk-doc)\//, /^usr\/share\/locale\/(?!locale\.alias$)/, /^usr\/share\/i18n\/locales\//],
    advice: 'optional: install with --no-install-recommends, use a slim base, or exclude docs (dpkg path-exclude)',
  },
];

/** Every category, in table order. */
export const CATEGORIES: readonly Category[] = [...new Set([...HIDDEN_RULES, ...PATH_RULES].map((rule) => rule.category))];
