import * as tt from '../src/node.js';
await tt.ready();
tt.setBackend(process.argv[2] ?? 'js');
const x = tt.scalar(1.35); const a = 0.768, b = -0.737;
const step = () => {
  const tape = new tt.GradientTape();
  const y = tape.record(() => { tape.watch(x); let y = x; for (let i = 0; i < 1000; i += 4) y = tt.exp(tt.sin(tt.add(tt.mul(y, a), b))); return y; });
  return tape.gradient(y, x).dataSync();
};
for (let i = 0; i < 2000; i++) step();
const ts: number[] = [];
for (let r = 0; r < 30; r++) { const t0 = performance.now(); for (let i = 0; i < 50; i++) step(); ts.push((performance.now() - t0) / 50); }
ts.sort((p, q) => p - q);
console.log('us/op min', ts[0].toFixed(3), 'med', ts[15].toFixed(3));
