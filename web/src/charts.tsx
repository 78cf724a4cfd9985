// charts.tsx — hand-written SVG bar charts for the reports screens. No
// chart library: the needs are bars over periods, and an SVG we write
// ourselves keeps the CSP strict (no inline style) and the bundle small.
// Colour is never the only signal: each series also has its own pattern
// (plain, stripes, dots, cross-hatch…) shown in the legend, every chart
// has a title and a one-sentence summary for screen readers, and its
// figures are in a table beside it.
import { type ComponentChildren } from 'preact';
import { t } from './i18n';
import { Table } from './components';

export interface Series {
  key: string;
  label: string;
}

const COLOURS = ['#0b57d0', '#b3261e', '#1e6b32', '#8e4a00', '#6f2da8', '#00696f', '#5f6368', '#a8005b'];
const W = 640;
const H = 220;
const LEFT = 48;
const BOTTOM = 36;
const TOP = 10;

// The pattern of series i: its colour with a mark that tells it apart in
// black and white too.
function Pattern({ id, i }: { id: string; i: number }) {
  const c = COLOURS[i % COLOURS.length];
  const mark = i % 6;
  return (
    <pattern id={id} width="8" height="8" patternUnits="userSpaceOnUse">
      <rect width="8" height="8" fill={c} />
      {mark === 1 && <path d="M0 8 L8 0" stroke="#fff" stroke-width="1.5" />}
      {mark === 2 && <circle cx="4" cy="4" r="1.6" fill="#fff" />}
      {mark === 3 && <path d="M0 0 L8 8 M0 8 L8 0" stroke="#fff" stroke-width="1.2" />}
      {mark === 4 && <path d="M0 4 H8" stroke="#fff" stroke-width="1.5" />}
      {mark === 5 && <path d="M4 0 V8" stroke="#fff" stroke-width="1.5" />}
    </pattern>
  );
}

function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 2.5, 5, 10]) if (v <= m * p) return m * p;
  return 10 * p;
}

// values[s][p]: series s in period p (null: no figure). "stack" piles the
// series of a period into one bar; "group" puts them side by side.
export function BarChart(props: { id: string; title: string; summary: string; periods: string[];
                                  series: Series[]; values: (number | null)[][]; mode?: 'stack' | 'group';
                                  format?: (v: number) => string; empty: string }) {
  const fmt = props.format ?? ((v: number) => String(v));
  const mode = props.mode ?? 'stack';
  const n = props.periods.length;
  const total = (p: number) => props.series.reduce((a, _, s) => a + (props.values[s][p] ?? 0), 0);
  const top = Math.max(0, ...props.periods.map((_, p) => mode === 'stack' ? total(p)
    : Math.max(0, ...props.series.map((_, s) => props.values[s][p] ?? 0))));
  const any = props.values.some((row) => row.some((v) => v !== null && v > 0));
  const max = niceMax(top);
  const plotW = W - LEFT - 8;
  const plotH = H - TOP - BOTTOM;
  const slot = plotW / Math.max(1, n);
  const barW = Math.max(2, slot * 0.7);
  const y = (v: number) => TOP + plotH - (v / max) * plotH;
  const every = Math.max(1, Math.ceil(n / 12));   /* at most 12 period labels */
  const bars: ComponentChildren[] = [];
  props.periods.forEach((_, p) => {
    let base = 0;
    props.series.forEach((_, s) => {
      const v = props.values[s][p];
      if (v === null || v <= 0) return;
      const x = LEFT + p * slot + (slot - barW) / 2 + (mode === 'group' ? (barW / props.series.length) * s : 0);
      const w = mode === 'group' ? barW / props.series.length : barW;
      const from = mode === 'stack' ? base : 0;
      bars.push(<rect x={x} y={y(from + v)} width={w} height={y(from) - y(from + v)}
                      fill={`url(#${props.id}-p${s})`} stroke="#fff" stroke-width="0.5" />);
      base += v;
    });
  });
  return (
    <figure class="chart" aria-labelledby={props.id + '-caption'}>
      <figcaption id={props.id + '-caption'}>{props.title}</figcaption>
      <p class="hint" id={props.id + '-summary'}>{any ? props.summary : props.empty}</p>
      {any && (
        <>
          <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={props.id + '-caption'}
               aria-describedby={props.id + '-summary'} class="chart-svg">
            <defs>{props.series.map((_, s) => <Pattern id={`${props.id}-p${s}`} i={s} />)}</defs>
            {[0, max / 2, max].map((v) => (
              <g>
                <line x1={LEFT} x2={W - 8} y1={y(v)} y2={y(v)} stroke="#d0d4da" />
                <text x={LEFT - 6} y={y(v) + 4} text-anchor="end" class="chart-tick">{fmt(v)}</text>
              </g>
            ))}
            {bars}
            {props.periods.map((label, p) => p % every === 0 && (
              <text x={LEFT + p * slot + slot / 2} y={H - BOTTOM + 16} text-anchor="middle" class="chart-tick">{label}</text>
            ))}
          </svg>
          <ul class="legend" aria-label={t('chart.legend')}>
            {props.series.map((x, s) => (
              <li>
                <svg width="16" height="16" aria-hidden="true"><rect width="16" height="16" fill={`url(#${props.id}-p${s})`} /></svg>
                {x.label}
              </li>
            ))}
          </ul>
          <details class="chart-table">
            <summary>{t('chart.table')}</summary>
            <Table caption={props.title} headers={[t('chart.period'), ...props.series.map((x) => x.label)]}>
              {props.periods.map((label, p) => (
                <tr>
                  <th scope="row">{label}</th>
                  {props.series.map((_, s) => <td>{props.values[s][p] === null ? t('common.none') : fmt(props.values[s][p]!)}</td>)}
                </tr>
              ))}
            </Table>
          </details>
        </>
      )}
    </figure>
  );
}

// A share as a bar with its figure in words beside it (the peers' answers
// of a readiness question): the text carries the value, the bar repeats it.
export function ShareBar({ percent, label }: { percent: number; label: string }) {
  return (
    <span class="share">
      <svg width="120" height="10" aria-hidden="true" class="share-bar">
        <rect width="120" height="10" fill="#e3e6ea" />
        <rect width={Math.round(1.2 * Math.min(100, Math.max(0, percent)))} height="10" fill="#0b57d0" />
      </svg>
      <span>{label}</span>
    </span>
  );
}
