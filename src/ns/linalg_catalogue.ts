// linalg aliases added by the op catalogue (norm, ...).
export {};
