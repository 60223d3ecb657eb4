import * as tt from '../src/node.js';
await tt.ready();
tt.setBackend(process.argv[2] ?? 'js');
const x = tt.scalar(1.35);
const t = (name: string, f: () => unknown) => {
  for (let i = 0; i < 200000; i++) f();
  let best = 1e9;
  for (let r = 0; r < 10; r++) { const t0 = performance.now(); for (let i = 0; i < 100000; i++) f(); best = Math.min(best, (performance.now() - t0) * 10); }
  console.log(name.padEnd(30), best.toFixed(0), 'ns');
};
const y = tt.scalar(0.5);
t('mul(x, 0.768) eager', () => tt.mul(x, 0.768));
t('mul(x, y) eager', () => tt.mul(x, y));
t('sin(x) eager', () => tt.sin(x));
t('exp(x) eager', () => tt.exp(x));
t('new Float32Array(1)', () => new Float32Array(1));
const tape = new tt.GradientTape({ persistent: true });
let n = 0;

t('sin(x) eager again', () => tt.sin(x));
t('exp(x) eager again', () => tt.exp(x));
t('cos(x) eager', () => tt.cos(x));
t('tanh(x) eager', () => tt.tanh(x));
