/**
 * The dashboard's charts, drawn as plain SVG (no chart library, nothing from a CDN).
 * Each function returns one `<svg>` with a title and description for screen readers;
 * colours come from presentation attributes, which a strict CSP allows.
 */
import { svg, type Child } from '../../shared/dom';
import type { HistogramBin, NpsSummary, RfmCell, SegmentCount, TouchpointView } from './views-model';

const font = 'system-ui, -apple-system, Segoe UI, Roboto, Liberation Sans, sans-serif';
const ink = '#1f2937';
const inkSoft = '#6b7280';
const grid = '#e5e7eb';

/**
 * Colours of the 10 segments of the R/F map (kebab-case ids, as the dashboard endpoints
 * send them), from green (valuable, active) through amber and red (slipping) to grey.
 */
export const segmentColours: Readonly<Record<string, string>> = {
  champions: '#15803d',
  loyal: '#22c55e',
  'potential-loyalist': '#84cc16',
  new: '#06b6d4',
  promising: '#38bdf8',
  'need-attention': '#eab308',
  'about-to-sleep': '#f59e0b',
  'at-risk': '#f97316',
  'cant-lose': '#dc2626',
  hibernating: '#94a3b8',
};

/** Colour of a segment id. */
export function segmentColour(segment: string): string {
  return segmentColours[segment] ?? inkSoft;
}

const shortSegmentLabels: Readonly<Record<string, string>> = {
  'potential-loyalist': 'Potential',
  new: 'New',
  'need-attention': 'Attention',
  'cant-lose': "Can't lose",
};

export const tierColours: Readonly<Record<string, string>> = { A: '#b45309', B: '#64748b', C: '#c2410c' };

// Sequential palette (light to dark) for the heat map; interpolated in RGB.
const heat = ['#fff7ed', '#fed7aa', '#fb923c', '#ea580c', '#9a3412', '#431407'];

function interpolate(palette: readonly string[], t: number): string {
  const clamped = Math.min(1, Math.max(0, t));
  const position = clamped * (palette.length - 1);
  const index = Math.min(palette.length - 2, Math.floor(position));
  const local = position - index;
  const parse = (hex: string) => [1, 3, 5].map((offset) => parseInt(hex.slice(offset, offset + 2), 16));
  const a = parse(palette[index] ?? '#ffffff');
  const b = parse(palette[index + 1] ?? '#000000');
  const channel = (i: number) => Math.round((a[i] ?? 0) + ((b[i] ?? 0) - (a[i] ?? 0)) * local).toString(16).padStart(2, '0');
  return `#${channel(0)}${channel(1)}${channel(2)}`;
}

function text(x: number, y: number, content: Child, attributes: Record<string, string | number> = {}): SVGElement {
  return svg('text', { x, y, fill: ink, 'font-size': 12, 'font-family': font, ...attributes }, content);
}

function frame(width: number, height: number, title: string, description: string, ...children: Child[]): SVGElement {
  return svg(
    'svg',
    { viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img', 'aria-label': title, preserveAspectRatio: 'xMidYMid meet' },
    svg('title', {}, title),
    svg('desc', {}, description),
    ...children,
  );
}

/** Compact number: 1234 → "1.2k". */
export function compact(value: number): string {
  return new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 }).format(value);
}

/**
 * The RFM grid as a heat map: frequency score across, recency score up, the colour is
 * the number of customers; thick lines separate the segments of the R/F map.
 */
export function rfmHeatMap(cells: readonly RfmCell[]): SVGElement {
  const size = 78;
  const left = 58;
  const top = 14;
  const max = Math.max(1, ...cells.map((cell) => cell.customers));
  const at = (recency: number, frequency: number) => cells.find((cell) => cell.recency === recency && cell.frequency === frequency);
  const x = (frequency: number) => left + (frequency - 1) * size;
  const y = (recency: number) => top + (5 - recency) * size;
  const parts: Child[] = [];
  for (let recency = 1; recency <= 5; recency++) {
    for (let frequency = 1; frequency <= 5; frequency++) {
      const cell = at(recency, frequency);
      const count = cell?.customers ?? 0;
      const t = count === 0 ? 0 : Math.sqrt(count / max);
      const fill = interpolate(heat, t);
      const dark = t > 0.55;
      parts.push(
        svg(
          'g',
          { class: 'heat-cell', 'data-recency': recency, 'data-frequency': frequency },
          svg('rect', { x: x(frequency) + 1, y: y(recency) + 1, width: size - 2, height: size - 2, rx: 4, fill }),
          svg('title', {}, `R${recency} F${frequency}: ${count} customers${cell ? `, ${cell.segmentLabel}` : ''}`),
          text(x(frequency) + size / 2, y(recency) + size / 2 + 6, compact(count), {
            'text-anchor': 'middle',
            'font-size': 18,
            'font-weight': 700,
            fill: dark ? '#ffffff' : ink,
          }),
          cell
            ? text(x(frequency) + size / 2, y(recency) + size - 10, shortSegmentLabels[cell.segment] ?? cell.segmentLabel, {
                'text-anchor': 'middle',
                'font-size': 9,
                fill: dark ? '#fde68a' : inkSoft,
              })
            : null,
        ),
      );
    }
  }
  // Segment borders: a line wherever two neighbouring cells belong to different segments.
  for (let recency = 1; recency <= 5; recency++) {
    for (let frequency = 1; frequency <= 5; frequency++) {
      const here = at(recency, frequency)?.segment;
      const right = frequency < 5 ? at(recency, frequency + 1)?.segment : undefined;
      const below = recency > 1 ? at(recency - 1, frequency)?.segment : undefined;
      if (frequency < 5 && here !== right) {
        parts.push(svg('line', { x1: x(frequency + 1), x2: x(frequency + 1), y1: y(recency), y2: y(recency) + size, stroke: ink, 'stroke-width': 2.5 }));
      }
      if (recency > 1 && here !== below) {
        parts.push(svg('line', { x1: x(frequency), x2: x(frequency) + size, y1: y(recency) + size, y2: y(recency) + size, stroke: ink, 'stroke-width': 2.5 }));
      }
    }
  }
  for (let score = 1; score <= 5; score++) {
    parts.push(text(x(score) + size / 2, top + 5 * size + 18, String(score), { 'text-anchor': 'middle', fill: inkSoft }));
    parts.push(text(left - 10, y(score) + size / 2 + 4, String(score), { 'text-anchor': 'end', fill: inkSoft }));
  }
  parts.push(text(left + (5 * size) / 2, top + 5 * size + 38, 'Frequency score →', { 'text-anchor': 'middle', fill: inkSoft }));
  parts.push(
    text(16, top + (5 * size) / 2, 'Recency score →', {
      'text-anchor': 'middle',
      fill: inkSoft,
      transform: `rotate(-90 16 ${top + (5 * size) / 2})`,
    }),
  );
  const width = left + 5 * size + 10;
  const height = top + 5 * size + 48;
  return frame(width, height, 'RFM segment grid', 'Customers per recency and frequency score; darker cells hold more customers.', ...parts);
}

/** Horizontal bars: customers per segment, coloured by segment. */
export function segmentBars(segments: readonly SegmentCount[]): SVGElement {
  const rowHeight = 30;
  const labelWidth = 130;
  const barWidth = 250;
  const max = Math.max(1, ...segments.map((segment) => segment.customers));
  const total = segments.reduce((sum, segment) => sum + segment.customers, 0) || 1;
  const rows = segments.map((segment, index) => {
    const y = index * rowHeight + 6;
    const width = Math.max(2, (segment.customers / max) * barWidth);
    return svg(
      'g',
      { class: 'segment-row', 'data-segment': segment.segment },
      text(labelWidth - 8, y + 16, segment.label, { 'text-anchor': 'end' }),
      svg('rect', { x: labelWidth, y: y + 3, width, height: rowHeight - 10, rx: 3, fill: segmentColour(segment.segment) }),
      text(labelWidth + width + 6, y + 16, `${compact(segment.customers)} · ${Math.round((segment.customers / total) * 100)}%`, { fill: inkSoft, 'font-size': 11 }),
    );
  });
  return frame(labelWidth + barWidth + 80, segments.length * rowHeight + 12, 'Customers per segment', 'Number of customers in each RFM segment.', ...rows);
}

/**
 * The Pareto curve of revenue with the ABC value tiers shaded: the share of customers
 * (best first) against the cumulative share of revenue.
 */
export function paretoChart(points: readonly (readonly [number, number])[], tierShares: readonly { tier: string; customerShare: number }[]): SVGElement {
  const width = 360;
  const height = 240;
  const left = 44;
  const bottom = 34;
  const top = 12;
  const right = 12;
  const plotWidth = width - left - right;
  const plotHeight = height - top - bottom;
  const px = (share: number) => left + share * plotWidth;
  const py = (share: number) => top + (1 - share) * plotHeight;
  const parts: Child[] = [];
  let start = 0;
  for (const { tier, customerShare } of tierShares) {
    const end = Math.min(1, start + customerShare);
    parts.push(svg('rect', { x: px(start), y: top, width: Math.max(0, px(end) - px(start)), height: plotHeight, fill: tierColours[tier] ?? inkSoft, 'fill-opacity': 0.13 }));
    if (end - start > 0.06) {
      parts.push(text((px(start) + px(end)) / 2, top + 18, tier, { 'text-anchor': 'middle', 'font-weight': 700, fill: tierColours[tier] ?? inkSoft, 'font-size': 15 }));
    }
    start = end;
  }
  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    parts.push(svg('line', { x1: left, x2: width - right, y1: py(tick), y2: py(tick), stroke: grid }));
    parts.push(text(left - 6, py(tick) + 4, `${tick * 100}%`, { 'text-anchor': 'end', fill: inkSoft, 'font-size': 10 }));
    parts.push(text(px(tick), height - bottom + 15, `${tick * 100}%`, { 'text-anchor': 'middle', fill: inkSoft, 'font-size': 10 }));
  }
  parts.push(svg('line', { x1: px(0), y1: py(0), x2: px(1), y2: py(1), stroke: inkSoft, 'stroke-dasharray': '4 4' }));
  const path = [[0, 0] as const, ...points].map(([x, y], index) => `${index === 0 ? 'M' : 'L'}${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(' ');
  parts.push(svg('path', { d: path, fill: 'none', stroke: '#b91c1c', 'stroke-width': 2.5 }));
  parts.push(text(left + plotWidth / 2, height - 4, 'Share of customers, most valuable first', { 'text-anchor': 'middle', fill: inkSoft, 'font-size': 11 }));
  return frame(width, height, 'Pareto curve of revenue with ABC tiers', 'Cumulative share of revenue against share of customers; tier A brings 80% of revenue, B the next 15%.', ...parts);
}

/** A histogram with labelled bins. */
export function histogram(
  bins: readonly HistogramBin[],
  options: { title: string; description: string; colour: string; label: (bin: HistogramBin) => string; xTitle: string },
): SVGElement {
  const width = 360;
  const height = 240;
  const left = 40;
  const bottom = 48;
  const top = 14;
  const right = 8;
  const plotWidth = width - left - right;
  const plotHeight = height - top - bottom;
  const max = Math.max(1, ...bins.map((bin) => bin.customers));
  const barWidth = plotWidth / Math.max(1, bins.length);
  const parts: Child[] = [];
  for (const tick of [0, 0.5, 1]) {
    const y = top + (1 - tick) * plotHeight;
    parts.push(svg('line', { x1: left, x2: width - right, y1: y, y2: y, stroke: grid }));
    parts.push(text(left - 6, y + 4, compact(Math.round(max * tick)), { 'text-anchor': 'end', fill: inkSoft, 'font-size': 10 }));
  }
  bins.forEach((bin, index) => {
    const barHeight = (bin.customers / max) * plotHeight;
    const x = left + index * barWidth;
    parts.push(
      svg(
        'g',
        { class: 'histogram-bin' },
        svg('rect', { x: x + 2, y: top + plotHeight - barHeight, width: Math.max(1, barWidth - 4), height: Math.max(0, barHeight), rx: 2, fill: options.colour }),
        svg('title', {}, `${options.label(bin)}: ${bin.customers} customers`),
      ),
    );
    const every = Math.ceil(bins.length / 6);
    if (index % every === 0) {
      parts.push(text(x + barWidth / 2, top + plotHeight + 14, options.label(bin), { 'text-anchor': 'middle', fill: inkSoft, 'font-size': 10 }));
    }
  });
  parts.push(text(left + plotWidth / 2, height - 8, options.xTitle, { 'text-anchor': 'middle', fill: inkSoft, 'font-size': 11 }));
  return frame(width, height, options.title, options.description, ...parts);
}

/** NPS: the score, a stacked bar of detractors / passives / promoters, and answers per score. */
export function npsChart(nps: NpsSummary): SVGElement {
  const width = 360;
  const height = 190;
  const parts: Child[] = [];
  const score = nps.score === null ? '–' : `${nps.score > 0 ? '+' : ''}${Math.round(nps.score)}`;
  parts.push(text(0, 40, score, { 'font-size': 40, 'font-weight': 800, fill: nps.score === null ? inkSoft : nps.score >= 30 ? '#047857' : nps.score >= 0 ? '#b45309' : '#b91c1c' }));
  parts.push(text(0, 60, `NPS from ${nps.responses} answers`, { fill: inkSoft }));
  const total = Math.max(1, nps.responses);
  const shares = [
    { label: 'Detractors', count: nps.detractors, colour: '#ef4444' },
    { label: 'Passives', count: nps.passives, colour: '#f59e0b' },
    { label: 'Promoters', count: nps.promoters, colour: '#10b981' },
  ];
  let x = 150;
  const barWidth = width - 150;
  for (const share of shares) {
    const w = (share.count / total) * barWidth;
    if (w > 0) parts.push(svg('rect', { x, y: 18, width: w, height: 22, fill: share.colour }, svg('title', {}, `${share.label}: ${share.count}`)));
    x += w;
  }
  if (nps.responses === 0) parts.push(svg('rect', { x: 150, y: 18, width: barWidth, height: 22, fill: grid }));
  shares.forEach((share, index) => {
    const lx = 150 + index * 72;
    parts.push(svg('rect', { x: lx, y: 48, width: 10, height: 10, fill: share.colour }));
    parts.push(text(lx + 14, 57, `${share.label} ${share.count}`, { 'font-size': 10, fill: inkSoft }));
  });
  const max = Math.max(1, ...nps.distribution);
  const columnWidth = width / 11;
  nps.distribution.forEach((count, score) => {
    const h = (count / max) * 70;
    const colour = score <= 6 ? '#ef4444' : score <= 8 ? '#f59e0b' : '#10b981';
    parts.push(svg('rect', { x: score * columnWidth + 3, y: 160 - h, width: columnWidth - 6, height: Math.max(h, 1), rx: 2, fill: colour, 'fill-opacity': count === 0 ? 0.25 : 1 }));
    parts.push(text(score * columnWidth + columnWidth / 2, 176, String(score), { 'text-anchor': 'middle', 'font-size': 10, fill: inkSoft }));
  });
  return frame(width, height + 2, 'Net Promoter Score', `NPS ${score}: ${nps.promoters} promoters, ${nps.passives} passives, ${nps.detractors} detractors.`, ...parts);
}

/** A small horizontal meter for a probability (P(alive) in tables). */
export function probabilityMeter(value: number | null): SVGElement {
  const width = 80;
  const fillColour = value === null ? grid : value >= 0.7 ? '#10b981' : value >= 0.35 ? '#f59e0b' : '#ef4444';
  return svg(
    'svg',
    { viewBox: `0 0 ${width} 10`, width, height: 10, class: 'meter', role: 'img', 'aria-label': value === null ? 'no model' : `${Math.round(value * 100)}%` },
    svg('rect', { width, height: 10, rx: 5, fill: grid }),
    value === null ? null : svg('rect', { width: Math.max(4, value * width), height: 10, rx: 5, fill: fillColour }),
  );
}

/** Colour and short label per touchpoint type, for the timeline. */
export const touchpointStyles: Readonly<Record<string, { colour: string; icon: string }>> = {
  purchase: { colour: '#15803d', icon: '$' },
  visit: { colour: '#64748b', icon: '•' },
  'product viewed': { colour: '#0ea5e9', icon: '👁' },
  'product added': { colour: '#0284c7', icon: '+' },
  'checkout started': { colour: '#7c3aed', icon: '→' },
  identify: { colour: '#2563eb', icon: '@' },
  inquiry: { colour: '#0891b2', icon: '?' },
  complaint: { colour: '#dc2626', icon: '!' },
  suggestion: { colour: '#ca8a04', icon: '✎' },
  'survey response': { colour: '#9333ea', icon: '★' },
  consent: { colour: '#475569', icon: '✓' },
};

export function touchpointStyle(type: string): { colour: string; icon: string } {
  return touchpointStyles[type.toLowerCase()] ?? { colour: '#6b7280', icon: '•' };
}

/** A strip of the customer's touchpoints over time: purchases as bars by amount, others as dots. */
export function timelineStrip(touchpoints: readonly TouchpointView[]): SVGElement {
  const width = 720;
  const height = 96;
  const left = 10;
  const right = 10;
  const base = 62;
  const times = touchpoints.map((touchpoint) => Date.parse(touchpoint.at)).filter(Number.isFinite);
  const parts: Child[] = [svg('line', { x1: left, x2: width - right, y1: base, y2: base, stroke: grid, 'stroke-width': 2 })];
  if (times.length > 0) {
    const min = Math.min(...times);
    const max = Math.max(...times);
    const span = Math.max(1, max - min);
    const px = (time: number) => left + ((time - min) / span) * (width - left - right);
    const maxAmount = Math.max(1, ...touchpoints.map((touchpoint) => touchpoint.amount ?? 0));
    for (const touchpoint of touchpoints) {
      const time = Date.parse(touchpoint.at);
      if (!Number.isFinite(time)) continue;
      const style = touchpointStyle(touchpoint.type);
      const x = px(time);
      if (touchpoint.type === 'purchase' && touchpoint.amount !== undefined) {
        const h = 6 + (touchpoint.amount / maxAmount) * 44;
        parts.push(svg('rect', { x: x - 3, y: base - h, width: 6, height: h, rx: 2, fill: style.colour }, svg('title', {}, `${touchpoint.title} (${touchpoint.at.slice(0, 10)})`)));
      } else {
        parts.push(svg('circle', { cx: x, cy: base, r: 6, fill: style.colour, stroke: '#ffffff', 'stroke-width': 1.5 }, svg('title', {}, `${touchpoint.title} (${touchpoint.at.slice(0, 10)})`)));
      }
    }
    const format = (time: number) => new Date(time).toISOString().slice(0, 10);
    parts.push(text(left, base + 26, format(min), { fill: inkSoft, 'font-size': 11 }));
    parts.push(text(width - right, base + 26, format(max), { fill: inkSoft, 'font-size': 11, 'text-anchor': 'end' }));
  }
  return frame(width, height, 'Touchpoints over time', 'Each purchase is a bar as tall as its amount; other touchpoints are dots.', ...parts);
}

const lifecycleColours: Readonly<Record<string, string>> = { active: '#10b981', 'at-risk': '#f59e0b', dormant: '#94a3b8' };
const lifecycleLabels: Readonly<Record<string, string>> = { active: 'Active', 'at-risk': 'At risk of churning', dormant: 'Dormant (no purchase for a year)' };

/** A donut of customers per lifecycle stage, with a legend. */
export function lifecycleDonut(stages: readonly { stage: string; customers: number }[]): SVGElement {
  const total = stages.reduce((sum, stage) => sum + stage.customers, 0);
  const cx = 70;
  const cy = 70;
  const radius = 52;
  const circumference = 2 * Math.PI * radius;
  const parts: Child[] = [svg('circle', { cx, cy, r: radius, fill: 'none', stroke: grid, 'stroke-width': 22 })];
  let offset = 0;
  for (const stage of stages) {
    if (total === 0 || stage.customers === 0) continue;
    const length = (stage.customers / total) * circumference;
    parts.push(
      svg(
        'circle',
        {
          cx,
          cy,
          r: radius,
          fill: 'none',
          stroke: lifecycleColours[stage.stage] ?? inkSoft,
          'stroke-width': 22,
          'stroke-dasharray': `${length.toFixed(2)} ${(circumference - length).toFixed(2)}`,
          'stroke-dashoffset': (-offset).toFixed(2),
          transform: `rotate(-90 ${cx} ${cy})`,
          class: 'lifecycle-arc',
        },
        svg('title', {}, `${lifecycleLabels[stage.stage] ?? stage.stage}: ${stage.customers}`),
      ),
    );
    offset += length;
  }
  const active = stages.find((stage) => stage.stage === 'active')?.customers ?? 0;
  parts.push(text(cx, cy + 2, total === 0 ? '–' : `${Math.round((active / total) * 100)}%`, { 'text-anchor': 'middle', 'font-size': 22, 'font-weight': 800 }));
  parts.push(text(cx, cy + 18, 'active', { 'text-anchor': 'middle', 'font-size': 11, fill: inkSoft }));
  stages.forEach((stage, index) => {
    const y = 36 + index * 30;
    parts.push(svg('rect', { x: 160, y: y - 10, width: 12, height: 12, rx: 3, fill: lifecycleColours[stage.stage] ?? inkSoft }));
    parts.push(text(180, y, lifecycleLabels[stage.stage] ?? stage.stage, { 'font-size': 12 }));
    parts.push(text(180, y + 14, `${compact(stage.customers)} customers · ${total === 0 ? 0 : Math.round((stage.customers / total) * 100)}%`, { 'font-size': 11, fill: inkSoft }));
  });
  return frame(400, 140, 'Customers by lifecycle stage', 'Active, at-risk and dormant customers.', ...parts);
}

const stateColours: Readonly<Record<string, string>> = { granted: '#10b981', denied: '#ef4444', objected: '#f59e0b', pending: '#d1d5db' };

/** One stacked bar per purpose: how many subjects granted, denied, objected or have not chosen. */
export function consentBars(byPurpose: Readonly<Record<string, Readonly<Record<string, number>>>>): SVGElement {
  const purposes = Object.entries(byPurpose);
  const labelWidth = 100;
  const barWidth = 240;
  const rowHeight = 26;
  const parts: Child[] = [];
  purposes.forEach(([purpose, states], index) => {
    const y = index * rowHeight + 4;
    const total = Object.values(states).reduce((sum, count) => sum + count, 0) || 1;
    parts.push(text(labelWidth - 8, y + 14, purpose, { 'text-anchor': 'end', 'font-size': 11 }));
    let x = labelWidth;
    for (const state of ['granted', 'objected', 'denied', 'pending']) {
      const count = states[state] ?? 0;
      if (count === 0) continue;
      const width = (count / total) * barWidth;
      parts.push(svg('rect', { x, y: y + 3, width, height: rowHeight - 10, fill: stateColours[state] ?? grid }, svg('title', {}, `${purpose}: ${count} ${state}`)));
      x += width;
    }
  });
  const legendY = purposes.length * rowHeight + 14;
  ['granted', 'objected', 'denied', 'pending'].forEach((state, index) => {
    const x = labelWidth + index * 62;
    parts.push(svg('rect', { x, y: legendY - 9, width: 10, height: 10, rx: 2, fill: stateColours[state] ?? grid }));
    parts.push(text(x + 14, legendY, state, { 'font-size': 10, fill: inkSoft }));
  });
  return frame(labelWidth + barWidth + 10, legendY + 8, 'Consent by purpose', 'For each purpose, the share of visitors who granted, objected, denied or have not chosen.', ...parts);
}
