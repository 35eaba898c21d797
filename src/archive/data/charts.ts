/**
 * The statistics page's charts: Vega-Lite specifications compiled by vega-lite and
 * rendered to static SVG by Vega's headless view (`renderer: 'none'`, `toSVG()`): no
 * browser, no canvas. Without a canvas Vega estimates text widths from the font size,
 * so the same data gives the same SVG on any machine.
 *
 * Colours are the archive's (`styles/archive.css`): bars and lines in the brand blue
 * (#123a63, 11.9:1 on white), text in the ink colour (#1b1f24), grid lines light. Each
 * chart is shown as an `<img>` with a text alternative, and the page gives its figures
 * in a table beside it.
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

const INK = '#1b1f24';
const MUTED = '#4a5360';
const BRAND = '#123a63';
const GRID = '#d5dae0';
/** Pixels per column: wide enough for a `YYYY-MM` label when there are few. */
const step = (n: number) => (n <= 12 ? 56 : n <= 24 ? 36 : 14);
const angle = (n: number) => (n > 12 ? -45 : 0);

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

const CONFIG = {
  font: FONT,
  background: '#ffffff',
  padding: 8,
  view: { stroke: null },
  axis: { labelColor: INK, titleColor: INK, labelFontSize: 12, titleFontSize: 12, titleFontWeight: 600, domainColor: MUTED, tickColor: MUTED, gridColor: GRID, labelLimit: 260 },
  bar: { fill: BRAND },
  line: { stroke: BRAND, strokeWidth: 2 },
  point: { fill: BRAND, stroke: BRAND, filled: true },
  text: { fill: INK, fontSize: 11 },
  aria: false,
} as const;

export interface BarDatum {
  label: string;
  value: number;
  /** Printed at the bar's end (default: the value). */
  text?: string;
}

async function render(spec: TopLevelSpec): Promise<string> {
  const compiled = compile({ ...spec, config: CONFIG } as TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    return `${svg}\n`;
  } finally {
    view.finalize();
  }
}

/**
 * Horizontal bars, one per label in the order given, each with its value printed at its
 * end. `percent`: values are rates in [0, 1], shown as percentages.
 */
export function horizontalBars(data: readonly BarDatum[], options: { title: string; percent: boolean }): Promise<string> {
  const format = options.percent ? '.1%' : ',d';
  const x = { field: 'value', type: 'quantitative' as const, title: options.title, axis: { format: options.percent ? '.0%' : ',d', tickMinStep: options.percent ? 0.01 : 1 }, ...(options.percent ? { scale: { domain: [0, 1] } } : {}) };
  const y = { field: 'label', type: 'nominal' as const, sort: null, title: null, axis: { labelLimit: 340 } };
  return render({
    width: 420,
    height: { step: 22 },
    data: { values: data.map((d) => ({ ...d })) },
    layer: [
      { mark: { type: 'bar' }, encoding: { x, y } },
      { mark: { type: 'text', align: 'left', dx: 4 }, encoding: { x, y, text: data.every((d) => d.text) ? { field: 'text', type: 'nominal' } : { field: 'value', type: 'quantitative', format } } },
    ],
  } as TopLevelSpec);
}

/** Vertical bars over an ordered axis (months, counts), values printed above the bars. */
export function columns(data: readonly BarDatum[], options: { xTitle: string; yTitle: string }): Promise<string> {
  const x = { field: 'label', type: 'ordinal' as const, sort: null, title: options.xTitle, axis: { labelAngle: angle(data.length) } };
  const y = { field: 'value', type: 'quantitative' as const, title: options.yTitle, axis: { format: ',d', tickMinStep: 1 } };
  return render({
    width: { step: step(data.length) },
    height: 200,
    data: { values: data.map((d) => ({ ...d })) },
    layer: [
      { mark: { type: 'bar' }, encoding: { x, y } },
      ...(data.length <= 24 ? [{ mark: { type: 'text', baseline: 'bottom', dy: -2 }, encoding: { x, y, text: { field: 'value', type: 'quantitative', format: ',d' } } }] : []),
    ],
  } as TopLevelSpec);
}

/** A line over an ordered axis with a point per value; gaps where a value is missing. Values are rates. */
export function rateLine(data: readonly { label: string; value: number | null }[], options: { xTitle: string }): Promise<string> {
  const x = { field: 'label', type: 'ordinal' as const, sort: null, title: options.xTitle, axis: { labelAngle: angle(data.length) }, scale: { domain: data.map((d) => d.label) } };
  const y = { field: 'value', type: 'quantitative' as const, title: 'Overturn rate (items)', axis: { format: '.0%' }, scale: { domain: [0, 1] } };
  return render({
    width: { step: step(data.length) },
    height: 200,
    data: { values: data.filter((d) => d.value !== null).map((d) => ({ ...d })) },
    layer: [
      { mark: { type: 'line' }, encoding: { x, y } },
      { mark: { type: 'point', size: 40 }, encoding: { x, y } },
    ],
  } as TopLevelSpec);
}
