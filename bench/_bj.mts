import * as tt from '../src/node.js';
await tt.ready();
tt.random.setSeed(1);
const x = tt.random.normal([64, 32]);
const w1 = tt.random.normal([32, 64], { stddev: 0.2 });
const b1 = tt.random.normal([64], { stddev: 0.1 });
const w2 = tt.random.normal([64, 32], { stddev: 0.2 });
const b2 = tt.random.normal([32], { stddev: 0.1 });
const net = (u: tt.Tensor) => tt.tanh(tt.add(tt.matMul(tt.tanh(tt.add(tt.matMul(u, w1), b1)), w2), b2));
const run = (pfor: boolean) => {
  const tape = new tt.GradientTape({ persistent: true });
  const y = tape.record(() => { tape.watch(x); return net(x); });
  return tape.batchJacobian(y, x, { experimentalUsePfor: pfor });
};
const mode = process.argv[2] ?? 'both';
for (const be of (process.argv[3] ? [process.argv[3]] : tt.backends())) {
  tt.setBackend(be);
  for (const pfor of [true, false]) {
    if (mode === 'v' && !pfor) continue;
    for (let i = 0; i < 20; i++) run(pfor);
    const ts: number[] = [];
    for (let i = 0; i < (process.argv[3] ? 400 : 40); i++) { const t0 = performance.now(); run(pfor); ts.push(performance.now() - t0); }
    ts.sort((a, b) => a - b);
    console.log(be, pfor ? 'vec' : 'loop', 'min', ts[0].toFixed(3), 'med', ts[20].toFixed(3));
  }
}
