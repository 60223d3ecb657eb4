// Warnings printed once per call site (the user's file:line:column), as TF's log_first_n.

/** The library's source root (src/ or dist/), whose frames are skipped when finding the caller. */
const LIBRARY_ROOT = decodeURI(new URL('..', import.meta.url).pathname);

const seen = new Set<string>();

/** The `file:line:column` of the first stack frame outside the library: the user's call site. */
export function callSite(): string {
  const stack = new Error().stack ?? '';
  for (const line of stack.split('\n')) {
    const m = /\(?((?:[a-z]+:\/\/)?[^\s()]+):(\d+):(\d+)\)?\s*$/.exec(line);
    if (m === null) continue;
    const file = m[1].replace(/^file:\/\//, '');
    if (decodeURI(file).startsWith(LIBRARY_ROOT)) continue;
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
