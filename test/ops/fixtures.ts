// The TensorFlow reference for the sample table: what the exporter sends to ops_tf.py for each
// sample, and the committed answers (test/fixtures/ops_tf.json) read back, with a fingerprint
// that tells when a sample changed after the fixtures were made.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isFloat } from '../../src/dtype.js';
import {
  argKey,
  argValues,
  cotangentValues,
  encode,
  makeArgs,
  outputsOf,
  type ArgKind,
  type Entry,
  type Sample,
} from './harness.js';
import { COMPOSITES, SAMPLES } from './samples.js';

export interface SampleRef {
  readonly name: string;
  readonly n: number;
  readonly sample: Sample;
}

/** Every entry of both tables, by name. */
export function allEntries(): [string, Entry][] {
  return [...Object.entries(SAMPLES), ...Object.entries(COMPOSITES)];
}

export function allSamples(): SampleRef[] {
  return allEntries().flatMap(([name, entry]) =>
    entry.samples.map((sample, n) => ({ name, n, sample })),
  );
}

/** What ops_tf.py evaluates for one sample. */
export interface SampleCase {
  readonly key: string;
  readonly fingerprint: string;
  readonly tf: string;
  readonly args: { kind: ArgKind; shape: number[]; values: (number | string)[] }[];
  /** One per output: cotangent values for float outputs, null for the others. */
  readonly cotangents: ((number | string)[] | null)[];
}

export const sampleKey = (name: string, n: number) => `${name}#${n}`;

/** The case for a sample; its float outputs' cotangents come from running the op here. */
export function sampleCase(name: string, n: number, sample: Sample): SampleCase {
  const args = sample.args.map((spec, i) => ({
    kind: spec.kind,
    shape: spec.shape.slice(),
    values: argValues(spec, argKey(name, n, i)).map(encode),
  }));
  const outs = outputsOf(sample.f(...makeArgs(name, n, sample, 'float64')));
  const cotangents = outs.map((o, j) =>
    isFloat(o.dtype) ? cotangentValues(name, n, j, o.shape).map(encode) : null,
  );
  const body = { tf: sample.tf, args, cotangents };
  return { key: sampleKey(name, n), fingerprint: fingerprint(JSON.stringify(body)), ...body };
}

function fingerprint(s: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
  }
  return (h1 >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0');
}

/** A tensor as ops_tf.py writes it. */
export interface RefTensor {
  readonly shape: number[];
  readonly dtype: string;
  readonly values: (number | string)[];
}

/** TensorFlow's answer for one sample. */
export interface RefCase {
  readonly fingerprint: string;
  readonly outputs: RefTensor[];
  /** One per argument: TF's gradient, or null (None, or not a float argument). */
  readonly grads: (RefTensor | null)[] | null;
}

let reference: Record<string, RefCase> | null = null;

/** The committed TF answers by sample key. */
export function tfReference(): Record<string, RefCase> {
  if (reference === null) {
    const here = dirname(fileURLToPath(import.meta.url));
    const file = join(here, '..', 'fixtures', 'ops_tf.json');
    reference = (JSON.parse(readFileSync(file, 'utf8')) as { cases: Record<string, RefCase> })
      .cases;
  }
  return reference;
}
