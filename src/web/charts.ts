/**
 * Charts of the dashboard, drawn on the server as SVG. Hand-written on purpose: a chart library runs
 * in the browser (a script per page and inline styles, which the CSP forbids), or, on the server, draws
 * into a fixed-size canvas whose text shrinks on a 360 px phone. These are two simple shapes: SVG with
 * percentage x coordinates and pixel y coordinates stays sharp and legible at any width, needs no
 * JavaScript, and carries its numbers as text (role="img" with a label, plus a data table beside it).
 * Colours come from web.css classes.
 */

export interface Bar {
  label: string;
  value: number;
  /** How the value is written beside the label ("25", "92,5%"). */
  text: string;
}

const ROW = 34;

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function clip(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

const pct = (n: number) => `${Math.max(0, Math.min(100, n)).toFixed(2)}%`;

/** Horizontal bars, one row each: "label — value" on a line, the bar under it (scaled to `max` or the largest). */
export function barChart(bars: Bar[], opts: { label: string; max?: number }): string {
  const max = opts.max ?? Math.max(1, ...bars.map((b) => b.value));
  const height = bars.length * ROW + 4;
  const rows = bars.map((b, i) => {
    const y = i * ROW;
    return (
      `<text class="chart-label" x="0" y="${y + 13}">${esc(clip(b.label, 46))} — <tspan class="chart-value">${esc(b.text)}</tspan></text>` +
      `<rect class="chart-track" x="0" y="${y + 18}" width="100%" height="10" rx="3"></rect>` +
      `<rect class="chart-bar" x="0" y="${y + 18}" width="${pct((b.value / max) * 100)}" height="10" rx="3"></rect>`
    );
  });
  return `<svg class="chart" width="100%" height="${height}" role="img" aria-label="${esc(opts.label)}">${rows.join('')}</svg>`;
}

export interface Point {
  label: string;
  /** null: no answer that quarter (the line skips it). */
  value: number | null;
  text: string;
}

const LINE_HEIGHT = 150;
const TOP = 22;
const BOTTOM = 124;
const LEFT = 8;
const RIGHT = 92;

/** A line over quarters: points at even spaces, each value written above it, the quarter under it. */
export function lineChart(points: Point[], opts: { label: string; min?: number; max?: number }): string {
  const values = points.map((p) => p.value).filter((v): v is number => v !== null);
  const lo = opts.min ?? Math.min(0, ...values);
  const hi = Math.max(opts.max ?? 0, ...values, lo + 1);
  const x = (i: number) => (points.length === 1 ? 50 : LEFT + ((RIGHT - LEFT) * i) / (points.length - 1));
  const y = (v: number) => BOTTOM - ((v - lo) / (hi - lo)) * (BOTTOM - TOP);
  const parts: string[] = [
    `<line class="chart-axis" x1="0" y1="${BOTTOM}" x2="100%" y2="${BOTTOM}"></line>`,
    `<line class="chart-grid" x1="0" y1="${TOP}" x2="100%" y2="${TOP}"></line>`,
  ];
  let prev: { i: number; v: number } | null = null;
  points.forEach((p, i) => {
    if (p.value === null) return;
    if (prev) {
      parts.push(
        `<line class="chart-line" x1="${x(prev.i).toFixed(2)}%" y1="${y(prev.v).toFixed(1)}" x2="${x(i).toFixed(2)}%" y2="${y(p.value).toFixed(1)}"></line>`,
      );
    }
    prev = { i, v: p.value };
  });
  points.forEach((p, i) => {
    const cx = `${x(i).toFixed(2)}%`;
    if (p.value !== null) {
      const cy = y(p.value);
      parts.push(`<circle class="chart-dot" cx="${cx}" cy="${cy.toFixed(1)}" r="4"></circle>`);
      parts.push(`<text class="chart-value" x="${cx}" y="${(cy - 8).toFixed(1)}" text-anchor="middle">${esc(p.text)}</text>`);
    }
    parts.push(`<text class="chart-label" x="${cx}" y="${BOTTOM + 18}" text-anchor="middle">${esc(p.label)}</text>`);
  });
  return `<svg class="chart" width="100%" height="${LINE_HEIGHT}" role="img" aria-label="${esc(opts.label)}">${parts.join('')}</svg>`;
}
