// Warnings printed once per call site (the caller's file:line:column), as TF's log_first_n.

const seen = new Set<string>();

/** The `file:line:column` of the code that called the public function `depth` frames up. */
export function callSite(depth: number): string {
  const stack = new Error().stack ?? '';
  const lines = stack.split('\n').filter((l) => /:\d+:\d+/.test(l));
  const line = lines[depth + 1] ?? lines[lines.length - 1] ?? '';
  const m = /\(?([^\s()]+:\d+:\d+)\)?\s*$/.exec(line);
  return m ? m[1] : line.trim();
}

/** Warns with `console.warn` unless this message was already given for this call site. */
export function warnOnce(site: string, key: string, message: string): void {
  const id = `${key}@${site}`;
  if (seen.has(id)) return;
  seen.add(id);
  console.warn(`${message} (at ${site})`);
}
