// The op catalogue's ops (added by the op-catalogue work): re-exported by ops/index.ts.
export {};
