// hash-wasm's build of XXH3-128 alone (content-digest.ts): a UMD file, which Node imports as
// CommonJS with the library as its default export, typed as the package's own.
declare module 'hash-wasm/dist/xxhash128.umd.min.js' {
  const xxhash128: Pick<typeof import('hash-wasm'), 'createXXHash128'>;
  export default xxhash128;
}
