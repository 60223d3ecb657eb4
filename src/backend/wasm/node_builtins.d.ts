// The one Node built-in the library's own files import statically: the Node-only modules
// (node_pool.ts, node_features.ts) load the rest through createRequire, so the library builds
// without Node's type definitions (tsconfig.build.json) and stays free of them in browser code.
declare module 'node:module' {
  export function createRequire(path: string | URL): (id: string) => unknown;
}
