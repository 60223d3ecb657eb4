// The guides' figures: line plots and zero-centred heat maps (matplotlib's plt.plot and
// plt.imshow(..., cmap='seismic') with a symmetric colour scale), declared with vega-lite, rendered
// to SVG by vega in Node and to PNG by resvg, written under out/figures/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import * as vl from 'vega-lite';
import type * as tt from '../src/index.js';

/** Where the figures go (gitignored). */
export const FIGURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'out', 'figures');

const CONFIG: vl.TopLevelSpec['config'] = {
  font: 'DejaVu Sans',
  view: { stroke: '#888' },
  axis: { labelFontSize: 12, titleFontSize: 13 },
  title: { fontSize: 15 },
};

/** Renders a vega-lite spec to out/figures/<name>.svg and .png; returns the PNG's path. */
export async function save(name: string, spec: vl.TopLevelSpec): Promise<string> {
  const view = new vega.View(
    vega.parse(vl.compile({ config: CONFIG, ...spec } as vl.TopLevelSpec).spec),
    {
      renderer: 'none',
    },
  );
  const svg = await view.toSVG();
  view.finalize();
  mkdirSync(FIGURES, { recursive: true });
  writeFileSync(join(FIGURES, `${name}.svg`), svg);
  const png = new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: 2 },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  })
    .render()
    .asPng();
  const path = join(FIGURES, `${name}.png`);
  writeFileSync(path, png);
  console.log(`[figure] ${relative(process.cwd(), join(FIGURES, name))}.{svg,png}`);
  return path;
}

/** plt.plot(x, y, label=...) for each series, then plt.legend() and plt.xlabel(xlabel). */
export function linePlot(
  name: string,
  x: tt.Tensor,
  series: Record<string, tt.Tensor>,
  xlabel: string,
): Promise<string> {
  const xs = Array.from(x.dataSync());
  const values = Object.entries(series).flatMap(([label, y]) => {
    const ys = y.dataSync();
    return xs.map((xv, i) => ({ x: xv, y: ys[i], series: label }));
  });
  return save(name, {
    width: 480,
    height: 320,
    data: { values },
    mark: { type: 'line', strokeWidth: 2 },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: xlabel },
      y: { field: 'y', type: 'quantitative', title: null },
      color: {
        field: 'series',
        type: 'nominal',
        title: null,
        sort: Object.keys(series),
        legend: { orient: 'top-left', fillColor: 'white' },
      },
    },
  });
}

export interface HeatmapOptions {
  title?: string;
  xlabel?: string;
  /** matplotlib's extent [left, right, bottom, top] (default: cell centres at integer indices). */
  extent?: [number, number, number, number];
}

/**
 * The guide's `imshow_zero_center(image)`: a heat map of a matrix with a diverging colour scale
 * centred on zero, from -max|image| (blue) to +max|image| (red), and a colour bar.
 */
export function heatmap(
  name: string,
  image: tt.Tensor,
  options: HeatmapOptions = {},
): Promise<string> {
  if (image.rank !== 2)
    throw new Error(`heatmap: expected a matrix, got shape [${image.shape.join(', ')}]`);
  const [rows, cols] = image.shape;
  const v = image.dataSync();
  let lim = 0;
  for (const e of v) lim = Math.max(lim, Math.abs(e));
  if (lim === 0) lim = 1;
  const [left, right, bottom, top] = options.extent ?? [-0.5, cols - 0.5, rows - 0.5, -0.5];
  const dx = (right - left) / cols;
  const dy = (bottom - top) / rows;
  const values: { x: number; x2: number; y: number; y2: number; v: number }[] = [];
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++)
      values.push({
        x: left + c * dx,
        x2: left + (c + 1) * dx,
        y: top + r * dy,
        y2: top + (r + 1) * dy,
        v: v[r * cols + c],
      });
  const size = 420;
  const aspect = Math.abs(bottom - top) / Math.abs(right - left);
  return save(name, {
    width: aspect > 1 ? size / aspect : size,
    height: aspect > 1 ? size : size * aspect,
    ...(options.title ? { title: options.title } : {}),
    data: { values },
    mark: 'rect',
    encoding: {
      x: {
        field: 'x',
        type: 'quantitative',
        scale: { domain: [left, right], nice: false, zero: false },
        title: options.xlabel ?? null,
      },
      x2: { field: 'x2' },
      y: {
        field: 'y',
        type: 'quantitative',
        scale: { domain: [bottom, top], nice: false, zero: false },
        title: null,
      },
      y2: { field: 'y2' },
      color: {
        field: 'v',
        type: 'quantitative',
        title: null,
        scale: { domain: [-lim, lim], scheme: 'redblue', reverse: true },
        legend: { gradientLength: 300 },
      },
    },
  });
}
