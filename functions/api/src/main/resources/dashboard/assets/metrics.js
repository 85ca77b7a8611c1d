// A run's figures as the functions measured them (GET /v1/metrics): entries per second over time and the App's
// latency, drawn as small inline SVG charts. The route exists in the local stack only; elsewhere the panel says
// where the figures are instead (the CloudWatch dashboard).

import {h, fill} from './dom.js';
import {getJson, query} from './api.js';
import {formatCount} from './format.js';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 320;
const HEIGHT = 120;
const PAD = {left: 44, right: 8, top: 10, bottom: 22};

export function metricsPanel(runId) {
  const summary = h('dl', {class: 'counts metrics-figures', id: 'metrics-figures'});
  const charts = h('div', {class: 'metrics-charts'});
  const status = h('p', {class: 'sub', id: 'metrics-status'}, 'Loading metrics…');
  const element = h('section', {class: 'card metrics', id: 'run-metrics', 'aria-labelledby': 'metrics-heading'},
    h('h2', {id: 'metrics-heading'}, 'Metrics'), status, summary, charts);

  async function refresh() {
    let figures;
    try {
      figures = await getJson(`v1/metrics${query({synchronization_id: runId})}`);
    } catch (e) {
      if (e.status === 404) {
        status.textContent = 'Metrics are served by the local stack only; on AWS the CloudWatch dashboard shows them.';
        return;
      }
      status.textContent = `The metrics could not be loaded: ${e.message}`;
      return;
    }
    const run = figures.synchronizations.find((r) => r.synchronization_id === runId);
    if (!run) {
      status.textContent = 'No entry of this run has been delivered yet.';
      return;
    }
    status.textContent = `Measured by the functions: ${run.throughput.length} point${run.throughput.length === 1 ? '' : 's'} from the first delivery to the last.`;
    const fact = (term, value, id) => [h('dt', {}, term), h('dd', {id}, value)];
    const ms = (value) => (value === null || value === undefined ? '—' : `${Math.round(value)} ms`);
    fill(summary,
      fact('Entries delivered', formatCount(run.entries.succeeded + run.entries.failed), 'metrics-entries'),
      fact('Retried', formatCount(run.entries.retried), 'metrics-retried'),
      fact('App latency p50', ms(run.app_latency_ms.p50), 'metrics-latency-p50'),
      fact('App latency p95', ms(run.app_latency_ms.p95), 'metrics-latency-p95'),
      fact('Chunk p95', ms(run.chunk_duration_ms.p95), 'metrics-chunk-p95'),
      fact('Window', run.window_size ?? '—', 'metrics-window'));
    const seconds = run.throughput.map((p) => (Date.parse(p.at) - Date.parse(run.throughput[0].at)) / 1000);
    fill(charts,
      chart('metrics-throughput', 'Entries per second', seconds, [
        {name: 'entries/s', values: run.throughput.map((p) => p.entries_per_second), tone: 'ok'}]),
      chart('metrics-latency', 'App latency (ms)', seconds, [
        {name: 'p50', values: run.throughput.map((p) => p.app_latency_p50_ms), tone: 'busy'},
        {name: 'p95', values: run.throughput.map((p) => p.app_latency_p95_ms), tone: 'warn'}]));
  }

  return {element, refresh};
}

/** A line chart of one or more series over the same x values; gaps (null) break a line. */
function chart(id, title, xs, series) {
  const all = series.flatMap((s) => s.values).filter((v) => v !== null && v !== undefined);
  const top = niceMax(Math.max(1, ...all));
  const right = Math.max(1, ...xs);
  const x = (v) => PAD.left + (WIDTH - PAD.left - PAD.right) * (v / right);
  const y = (v) => HEIGHT - PAD.bottom - (HEIGHT - PAD.top - PAD.bottom) * (v / top);
  const label = `${title}: ${series.map((s) => `${s.name} up to ${round(Math.max(0, ...s.values.filter((v) => v !== null)))}`).join(', ')}`;
  const svg = svgNode('svg', {viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', 'aria-label': label, class: 'chart', id});
  svg.append(svgNode('title', {}, label));
  for (const tick of [0, top / 2, top]) {
    svg.append(svgNode('line', {x1: PAD.left, x2: WIDTH - PAD.right, y1: y(tick), y2: y(tick), class: 'grid'}));
    svg.append(svgNode('text', {x: PAD.left - 4, y: y(tick) + 4, 'text-anchor': 'end', class: 'axis'}, round(tick)));
  }
  svg.append(svgNode('text', {x: PAD.left, y: HEIGHT - 6, class: 'axis'}, '0 s'));
  svg.append(svgNode('text', {x: WIDTH - PAD.right, y: HEIGHT - 6, 'text-anchor': 'end', class: 'axis'}, `${round(right)} s`));
  for (const s of series) {
    let points = [];
    const flush = () => {
      if (points.length === 1) svg.append(svgNode('circle', {cx: points[0][0], cy: points[0][1], r: 2.5, class: `series ${s.tone}`, 'data-series': s.name}));
      if (points.length > 1) svg.append(svgNode('polyline', {points: points.map((p) => p.join(',')).join(' '), class: `series ${s.tone}`, 'data-series': s.name}));
      points = [];
    };
    s.values.forEach((v, i) => {
      if (v === null || v === undefined) flush();
      else points.push([round(x(xs[i])), round(y(v))]);
    });
    flush();
  }
  const legend = h('p', {class: 'legend'}, series.map((s) => h('span', {class: `key ${s.tone}`}, s.name)));
  return h('figure', {class: 'chart-box'}, h('figcaption', {}, title), svg, legend);
}

function svgNode(tag, attributes, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = String(text);
  return node;
}

function niceMax(value) {
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (value <= step * magnitude) return step * magnitude;
  return 10 * magnitude;
}

function round(value) {
  return Math.round(value * 10) / 10;
}
