import { h } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import htm from 'htm';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

const html = htm.bind(h);
const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c'];

/** A time-series chart (uPlot): x in ms, one line per series, redrawn when its data changes. */
export function TimeChart(props: { title: string; times: number[]; series: { label: string; values: (number | null)[] }[]; format?: (v: number) => string; height?: number }) {
  const el = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  useEffect(() => {
    if (!el.current) return undefined;
    const data: uPlot.AlignedData = [props.times.map((t) => t / 1000), ...props.series.map((s) => s.values)];
    const shape = `${props.series.map((s) => s.label).join('|')}`;
    if (plot.current && (plot.current as unknown as { shape?: string }).shape === shape) {
      plot.current.setData(data);
      return undefined;
    }
    plot.current?.destroy();
    const format = props.format;
    const options: uPlot.Options = {
      width: el.current.clientWidth || 560,
      height: props.height ?? 180,
      series: [{}, ...props.series.map((s, i) => ({ label: s.label, stroke: COLORS[i % COLORS.length], width: 2, spanGaps: false, ...(format ? { value: (_u: uPlot, v: number | null) => (v === null ? '–' : format(v)) } : {}) }))],
      axes: [{}, { size: 70, ...(format ? { values: (_u: uPlot, ticks: number[]) => ticks.map((v) => format(v)) } : {}) }],
      scales: { x: { time: true } },
      legend: { show: true },
    };
    plot.current = new uPlot(options, data, el.current);
    (plot.current as unknown as { shape?: string }).shape = shape;
    return undefined;
  }, [props.times, props.series]);
  useEffect(() => () => plot.current?.destroy(), []);
  return html`<div class="chart"><h3>${props.title}</h3><div ref=${el} class="chart-body" data-chart=${props.title}></div></div>`;
}

/** A sparkline: an inline SVG polyline of a row's values (nulls are gaps). */
export function Sparkline(props: { values: (number | null)[]; width?: number; height?: number }) {
  const width = props.width ?? 120;
  const height = props.height ?? 24;
  const numbers = props.values.filter((v): v is number => v !== null);
  if (numbers.length === 0) return html`<svg class="spark" width=${width} height=${height}></svg>`;
  const max = Math.max(...numbers);
  const min = Math.min(0, ...numbers);
  const step = props.values.length > 1 ? width / (props.values.length - 1) : width;
  const y = (v: number) => height - 2 - ((v - min) / (max - min || 1)) * (height - 4);
  const segments: string[][] = [[]];
  props.values.forEach((v, i) => {
    if (v === null) segments.push([]);
    else segments.at(-1)!.push(`${(i * step).toFixed(1)},${y(v).toFixed(1)}`);
  });
  return html`<svg class="spark" width=${width} height=${height}>${segments.filter((s) => s.length > 0).map((s) => html`<polyline points=${s.join(' ')} fill="none" stroke="#2563eb" stroke-width="1.5" />`)}</svg>`;
}
