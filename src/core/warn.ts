// Warnings printed once per call site (the user's file:line:column), as TF's log_first_n.

const FRAME = /\(?((?:[a-z]+:\/\/)?[^\s()]+):(\d+):(\d+)\)?\s*$/;

function frameFile(line: string): string | null {
  const m = FRAME.exec(line);
  return m === null ? null : decodeURI(m[1].replace(/^file:\/\//, ''));
}

/**
 * Frames from files under this prefix are the library's own (src/ or dist/, found from this module's
 * own stack frame, which works in ESM, CommonJS and bundles alike; in a bundle it is the bundle file).
 */
const LIBRARY_ROOT: string = (() => {
  for (const line of (new Error().stack ?? '').split('\n')) {
    const file = frameFile(line);
    if (file === null) continue;
    const m = /^(.*\/)core\/warn\.[jt]s$/.exec(file);
    return m !== null ? m[1] : file;
  }
  return '\u0000';
})();

const seen = new Set<string>();

/** The `file:line:column` of the first stack frame outside the library: the user's call site. */
export function callSite(): string {
  const stack = new Error().stack ?? '';
  for (const line of stack.split('\n')) {
    const m = FRAME.exec(line);
    if (m === null) continue;
    const file = frameFile(line)!;
    if (file.startsWith(LIBRARY_ROOT)) continue;
    return `${m[1]}:${m[2]}:${m[3]}`;
  }
  return '<unknown>';
}

/** Warns with `console.warn` unless this message was already given for this call site. */
export function warnOnce(site: string, key: string, message: string): void {
  const id = `${key}@${site}`;
  if (seen.has(id)) return;
  seen.add(id);
  console.warn(`${message} (at ${site})`);
}
