// Public exports added by the op catalogue work (namespaced aliases, ...).
export {};
