// `npm run soak`: trains a small network (Dense-relu-Dense-softmax, Adam) for 10,000 synchronous
// steps without any manual memory management, and reports heap and external memory (after a full
// garbage collection) every 1,000 steps. Exits 1 if memory grows beyond a bound after warm-up.
// Options: --steps=N, --backend=wasm|js, --tidy (also wrap each step in tt.tidy).

import v8 from 'node:v8';
import vm from 'node:vm';
import * as tt from '../src/node.js';
import { getRuntime } from '../src/backend/wasm/runtime.js';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const STEPS = Number(arg('steps') ?? 10_000);
const backend = arg('backend') ?? tt.getBackend();
const useTidy = process.argv.includes('--tidy');
/** Growth allowed between the first report (after warm-up) and the last: a leak of one small tensor per step would exceed it. */
const BOUND = 4 * 1024 * 1024;

tt.setBackend(backend);
tt.random.setSeed(7);
const batch = 64;
const x = tt.random.normal([batch, 32]);
const labels = tt.oneHot(tt.argMax(tt.matMul(x, tt.random.normal([32, 10])), 1), 10);
const l1 = new tt.layers.Dense(64, { activation: 'relu' });
const l2 = new tt.layers.Dense(10);
const opt = new tt.optimizers.Adam({ learningRate: 0.01 });

function step(): number {
  const tape = new tt.GradientTape();
  const loss = tape.record(() =>
    tt.mean(tt.nn.softmaxCrossEntropyWithLogits(labels, l2.apply(l1.apply(x)))),
  );
  const vars = [...l1.trainableVariables, ...l2.trainableVariables];
  opt.applyGradients(tape.gradient(loss, vars) as tt.Tensor[], vars);
  return loss.item();
}

const mb = (b: number) => `${(b / 1024 / 1024).toFixed(2)} MB`;
interface Report {
  step: number;
  heap: number;
  external: number;
}
const reports: Report[] = [];

function report(i: number, loss: number): void {
  for (let k = 0; k < 3; k++) gc();
  const m = process.memoryUsage();
  const wasm = getRuntime()?.memory.buffer.byteLength ?? 0;
  reports.push({ step: i, heap: m.heapUsed, external: m.external });
  console.log(
    `step ${String(i).padStart(6)}  loss ${loss.toFixed(4)}  heap ${mb(m.heapUsed)}  external ${mb(m.external)}` +
      `  (array buffers ${mb(m.arrayBuffers)}, wasm memory ${mb(wasm)})  rss ${mb(m.rss)}`,
  );
}

console.log(
  `memory soak: ${STEPS} synchronous training steps on the '${backend}' backend${useTidy ? ', each in tt.tidy' : ''}`,
);
const t0 = performance.now();
let loss = NaN;
const every = Math.max(1, Math.floor(STEPS / 10));
for (let i = 1; i <= STEPS; i++) {
  loss = useTidy ? tt.tidy(step) : step();
  if (i % every === 0) report(i, loss);
}
const first = reports[0];
const last = reports[reports.length - 1];
const growth = last.heap + last.external - (first.heap + first.external);
console.log(
  `${STEPS} steps in ${((performance.now() - t0) / 1000).toFixed(1)} s; heap + external grew by ${mb(growth)} ` +
    `from step ${first.step} to ${last.step} (bound ${mb(BOUND)})`,
);
if (growth > BOUND) {
  console.error('memory is not bounded');
  process.exitCode = 1;
}
