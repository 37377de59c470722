// Live charts of one run, or of several overlaid: the metrics arrive over server-sent events
// (/api/runs/RUN/events), the whole file first, then each appended line.
'use strict';

// Each chart: its metrics (keys of metrics.jsonl lines of stage `stage`, GRPO unless a series
// says otherwise), the left axis, and the right axis of the series marked `right`. `sparse`
// series (measured only at some steps) join their points. The eval chart reads the eval reports
// too (`report` keys), so that the evaluation before the first GRPO step (step 0) is drawn.
const CHARTS = [
  { id: 'reward', title: 'Reward and accuracy', left: 'reward', right: 'fraction', series: [
    { key: 'reward/mean', label: 'reward mean' },
    { key: 'reward/std', label: 'reward std' },
    { key: 'accuracy', label: 'accuracy', right: true },
    { key: 'frac_reward_zero_std', label: 'groups with zero std', right: true },
  ] },
  { id: 'length', title: 'Response length', left: 'tokens', right: 'clipped', series: [
    { key: 'completions/mean_length', label: 'mean' },
    { key: 'completions/p90_length', label: 'p90' },
    { key: 'completions/max_length', label: 'max' },
    { key: 'completions/clipped_ratio', label: 'clipped ratio', right: true },
  ] },
  { id: 'aha', title: 'Aha: reflection rate and transitions', left: 'rate', right: 'completions', series: [
    { key: 'aha/keyword_rate', label: 'reflection keyword rate' },
    { key: 'aha/response_share', label: 'responses reflecting' },
    { key: 'aha/transitions', label: 'wrong → right', right: true },
    { key: 'aha/right_to_wrong', label: 'right → wrong', right: true },
    { key: 'aha/wrong_to_wrong', label: 'wrong → wrong', right: true },
  ] },
  // only a run whose tokenizer has the tool tags writes these (docs/tools.md)
  { id: 'tools', title: 'Calculator calls', left: 'calls per response', right: 'share', series: [
    { key: 'tools/calls_per_response', label: 'calls per response' },
    { key: 'tools/responses_with_call', label: 'responses with a call', right: true },
    { key: 'tools/calls_parsed', label: 'calls it could answer', right: true },
    { key: 'tools/accuracy_with_call', label: 'accuracy with a call', right: true },
    { key: 'tools/accuracy_without_call', label: 'accuracy without a call', right: true },
  ] },
  { id: 'policy', title: 'KL and entropy', left: 'KL', right: 'entropy', series: [
    { key: 'kl', label: 'KL to the reference' },
    { key: 'entropy', label: 'entropy', right: true },
  ] },
  { id: 'clip', title: 'Clip ratios', left: 'fraction of tokens', series: [
    { key: 'clip_ratio/low_mean', label: 'clipped low' },
    { key: 'clip_ratio/high_mean', label: 'clipped high' },
    { key: 'clip_ratio/region_mean', label: 'clipped (region)' },
  ] },
  { id: 'optim', title: 'Learning rate and gradient norm', left: 'grad norm', right: 'lr', series: [
    { key: 'grad_norm', label: 'grad norm' },
    { key: 'lr', label: 'lr', right: true },
  ] },
  { id: 'speed', title: 'Sampling throughput', left: 'tokens/s', series: [
    { key: 'tokens_per_s', label: 'tokens/s' },
  ] },
  { id: 'time', title: 'Seconds per step: sample, verify, learn', left: 'seconds', series: [
    { key: 'time/sample', label: 'sample' },
    { key: 'time/verify', label: 'verify' },
    { key: 'time/learn', label: 'learn' },
    { key: 'time/weight_sync', label: 'weight sync' },
    { key: 'time/step', label: 'whole step' },
  ] },
  // only a run that samples over a cluster writes these (docs/scale-out.md)
  { id: 'cluster', title: 'Sampler nodes', left: 'nodes', right: 'items', series: [
    { key: 'rollout/nodes', label: 'nodes taking work' },
    { key: 'rollout/redispatched', label: 'items re-dispatched', right: true },
  ] },
  { id: 'eval', title: 'Held-out evaluation (step 0: before GRPO)', left: 'rate', right: 'tokens', sparse: true, series: [
    { key: 'eval/pass@1_greedy', report: 'pass@1_greedy', label: 'pass@1 greedy' },
    { key: 'eval/pass@1', report: 'pass@1', label: 'pass@1 sampled' },
    { key: 'eval/pass@K', report: 'pass@K', label: 'pass@K' },
    { key: 'eval/maj@K', report: 'maj@K', label: 'maj@K' },
    { key: 'eval/truncated', report: 'truncated', label: 'truncated' },
    { key: 'eval/mean_length', report: 'mean_length', label: 'mean length', right: true },
  ] },
  { id: 'loss', title: 'Pretraining and SFT loss', left: 'loss', series: [
    { key: 'loss', stage: 'pretrain', label: 'pretrain loss' },
    { key: 'held_out_loss', stage: 'pretrain', label: 'pretrain held-out loss', sparse: true },
    { key: 'loss', stage: 'sft', label: 'SFT loss' },
    { key: 'held_out_loss', stage: 'sft', label: 'SFT held-out loss', sparse: true },
  ] },
];

const COLORS = ['#2f6fd6', '#d64f2f', '#1f9d55', '#8e44ad', '#c79a00', '#16a2b8'];
const DASHES = [[], [8, 4], [2, 3], [12, 4, 2, 4]];
const HEIGHT = 230;

const runs = aha.params('run').slice(0, 4).map((name, i) => ({
  name, index: i, byStep: new Map(), evals: [], warnings: [], skipped: 0, connected: false, summary: null,
}));
// x: each stage's own step (GRPO steps 1, 2, … whatever came before, so runs align by stage), or
// minutes since the run started
let xMode = aha.param('x') === 'time' ? 'time' : 'step';
const overlay = runs.length > 1;
const charts = new Map(); // id -> { spec, element, plot, zoomed, draws }

// What the browser test (and a curious person in the console) can ask.
window.ahaDashboard = {
  events: 0,
  redraws: 0,
  /** Points (steps) on chart `id`, or 0 when it is not drawn yet. */
  points(id) {
    const chart = charts.get(id);
    return chart && chart.plot ? chart.plot.data[0].length : 0;
  },
  /** The x values of chart `id` (steps of its stage, or minutes), or [] when it is not drawn. */
  xs(id) {
    const chart = charts.get(id);
    return chart && chart.plot ? Array.from(chart.plot.data[0]) : [];
  },
  /** The legend labels of chart `id`'s series (band edges, kept out of the legend, left out). */
  labels(id) {
    const chart = charts.get(id);
    return chart && chart.plot
      ? chart.plot.series.slice(1).filter(s => s.class !== 'range-edge').map(s => s.label) : [];
  },
  /** The values of the series labelled `label` on chart `id`, by x, or [] when there is none. */
  values(id, label) {
    const chart = charts.get(id);
    const i = chart && chart.plot ? chart.plot.series.findIndex(s => s.label === label) : -1;
    return i > 0 ? Array.from(chart.plot.data[i]) : [];
  },
  /** Chart `id`'s bands: the series each shades, and its highest upper and lowest lower edge. */
  bands(id) {
    const chart = charts.get(id);
    if (!chart || !chart.plot) return [];
    return chart.plot.bands.map(band => {
      const [upper, lower] = band.series;
      const values = i => chart.plot.data[i].filter(v => v !== null);
      return {
        label: chart.plot.series[upper].label.replace(/: highest of .*$/, ''),
        highest: Math.max(...values(upper)),
        lowest: Math.min(...values(lower)),
      };
    });
  },
  /** How often chart `id` has drawn. */
  draws(id) {
    const chart = charts.get(id);
    return chart ? chart.draws : 0;
  },
};

function runLabel(run) {
  const short = aha.shortName(run.name);
  const clash = runs.filter(r => aha.shortName(r.name) === short).length > 1;
  return clash ? run.name : short;
}

/** The steps before `stage` in `run`'s global numbering: its lines are steps offset + 1, +2, … */
function stageOffset(run, stage) {
  // GRPO comes after every other stage; another stage starts after the lines before its first
  let first = Infinity;
  if (stage !== 'grpo') {
    for (const [step, line] of run.byStep) {
      if (line.stage === stage) first = Math.min(first, step);
    }
  }
  let offset = 0;
  for (const [step, line] of run.byStep) {
    if (stage === 'grpo' ? line.stage !== 'grpo' : step < first) offset = Math.max(offset, step);
  }
  return offset;
}

/** Where a line of `run` goes on the x axis. */
function xOf(run, line, offsets) {
  if (xMode === 'time') {
    return typeof line.elapsed_s === 'number' ? line.elapsed_s / 60 : null;
  }
  const stage = line.stage ?? 'grpo';
  if (!offsets.has(stage)) offsets.set(stage, stageOffset(run, stage));
  return line.step - offsets.get(stage);
}

/** Where an eval report of `run` goes: its GRPO step (0 before the first), or its time. */
function xOfReport(run, report, offsets) {
  if (xMode === 'time') {
    // the time of the metrics line of that step, or of the last line before it (step 0)
    let best = null;
    for (const [step, line] of run.byStep) {
      if (step <= report.step && typeof line.elapsed_s === 'number' && (best === null || step > best.step)) best = line;
    }
    return best ? best.elapsed_s / 60 : null;
  }
  if (!offsets.has('grpo')) offsets.set('grpo', stageOffset(run, 'grpo'));
  return report.step - offsets.get('grpo');
}

/** The largest k of pass@k above 1 that `run` reports, or null. */
function largestK(run) {
  let k = null;
  const consider = key => {
    const match = /^(?:eval\/)?pass@(\d+)$/.exec(key);
    if (match && Number(match[1]) > 1) k = Math.max(k ?? 0, Number(match[1]));
  };
  run.evals.forEach(report => Object.keys(report).forEach(consider));
  for (const line of run.byStep.values()) Object.keys(line).forEach(consider);
  return k;
}

/**
 * A series' values of `run` by x: its metrics lines, then (eval chart) its reports on top; and,
 * where the server thinned a long run, the lowest and highest value of the steps each point stands
 * for (`thinned` of a line: see JsonTail), by x.
 */
function pointsOf(run, s, offsets, k) {
  const key = s.key.replace('@K', `@${k}`);
  const points = new Map();
  const ranges = new Map();
  if (s.key.includes('@K') && k === null) return { points, ranges };
  const stage = s.stage ?? 'grpo';
  for (const line of run.byStep.values()) {
    const value = line[key];
    if ((line.stage ?? 'grpo') === stage && typeof value === 'number' && Number.isFinite(value)) {
      const x = xOf(run, line, offsets);
      if (x === null) continue;
      points.set(x, value);
      const low = line.thinned?.min?.[key];
      const high = line.thinned?.max?.[key];
      if (typeof low === 'number' && typeof high === 'number') ranges.set(x, [low, high]);
    }
  }
  if (s.report) {
    const reportKey = s.report.replace('@K', `@${k}`);
    for (const report of run.evals) {
      const value = report[reportKey];
      const x = xOfReport(run, report, offsets);
      if (typeof value === 'number' && Number.isFinite(value) && x !== null) points.set(x, value);
    }
  }
  return { points, ranges };
}

/** The most steps one point of `run`'s charts stands for (1 unless the server thinned the run). */
function thinnedTo(run) {
  let most = 1;
  for (const line of run.byStep.values()) most = Math.max(most, line.thinned?.lines ?? 1);
  return most;
}

/**
 * What chart `spec` draws now: the series of every run that have a value other than 0 (a series
 * that is always 0, such as the KL without a reference model or the clip ratios with one pass a
 * batch, is left out and named in the chart's note), and uPlot's columns (the x values where any
 * series has a point, then one column per series, then the upper and lower edge of each band).
 * A band shades, for a thinned run, the lowest to the highest value of the steps a point stands
 * for, so a spike the points skip still shows.
 */
function plotOf(spec) {
  const drawn = [];
  const flat = new Set();
  let anyPoint = false;
  for (const run of runs) {
    const offsets = new Map();
    const k = largestK(run);
    for (const [i, s] of spec.series.entries()) {
      const { points, ranges } = pointsOf(run, s, offsets, k);
      if (points.size === 0) continue;
      anyPoint = true;
      const label = s.label.replace('@K', `@${k}`);
      if ([...points.values()].every(v => v === 0)) {
        flat.add(label);
        continue;
      }
      const banded = ranges.size > 0 && !(spec.sparse || s.sparse);
      drawn.push({ run, spec: s, colour: i, label, points, ranges: banded ? ranges : null });
    }
  }
  const xs = [...new Set(drawn.flatMap(d => [...d.points.keys()]))].sort((a, b) => a - b);
  const edge = (d, x, side) => d.ranges.get(x)?.[side] ?? d.points.get(x) ?? null;
  const banded = drawn.filter(d => d.ranges);
  const data = [
    xs,
    ...drawn.map(d => xs.map(x => d.points.get(x) ?? null)),
    ...banded.flatMap(d => [xs.map(x => edge(d, x, 1)), xs.map(x => edge(d, x, 0))]),
  ];
  const signature = drawn.map(d => `${d.run.name}|${d.label}|${d.ranges ? 'band' : ''}`).join(';') + `|${xMode}`;
  return { drawn, banded, flat: [...flat], data, signature, anyPoint };
}

/** A colour of COLORS with opacity `alpha` (0 to 1), for bands. */
function translucent(colour, alpha) {
  return colour + Math.round(alpha * 255).toString(16).padStart(2, '0');
}

/**
 * The uPlot series: the x axis, then one per drawn series, then each band's upper and lower edge
 * (thin, out of the legend: the band between them is the point's range), and the bands.
 */
function seriesOf(spec, plot) {
  const series = [{ label: xMode === 'time' ? 'minutes' : 'step' }];
  const labelOf = d => (overlay ? `${runLabel(d.run)}: ${d.label}` : d.label);
  for (const d of plot.drawn) {
    const sparse = Boolean(spec.sparse || d.spec.sparse);
    series.push({
      label: labelOf(d),
      stroke: COLORS[d.colour % COLORS.length],
      dash: DASHES[d.run.index % DASHES.length],
      width: 1.6,
      scale: d.spec.right ? 'r' : 'y',
      spanGaps: sparse,
      points: sparse ? { show: true, size: 5 } : {},
      value: (u, v) => aha.fmt(v),
    });
  }
  const bands = [];
  for (const d of plot.banded) {
    const colour = COLORS[d.colour % COLORS.length];
    for (const side of ['highest', 'lowest']) {
      series.push({
        label: `${labelOf(d)}: ${side} of the steps a point stands for`,
        class: 'range-edge',
        stroke: translucent(colour, 0.35),
        width: 0.5,
        scale: d.spec.right ? 'r' : 'y',
        points: { show: false },
        value: (u, v) => aha.fmt(v),
      });
    }
    bands.push({ series: [series.length - 2, series.length - 1], fill: translucent(colour, 0.15) });
  }
  return { series, bands };
}

/** The x axis: whole steps only (no half-step ticks), or minutes. */
function xAxis() {
  return xMode === 'time'
    ? { label: 'minutes since the run started' }
    : { label: overlay ? 'step of its stage (runs aligned by stage)' : 'step of its stage',
        incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000, 200000] };
}

function makeChart(spec, plot) {
  const chart = charts.get(spec.id);
  const plotElement = chart.element.querySelector('.plot');
  const axes = [
    xAxis(),
    { scale: 'y', label: spec.left, size: 64, values: (u, ticks) => ticks.map(aha.fmt) },
  ];
  const right = plot.drawn.some(d => d.spec.right);
  if (right) {
    axes.push({ scale: 'r', side: 1, label: spec.right, size: 72, grid: { show: false },
                values: (u, ticks) => ticks.map(aha.fmt) });
  }
  const options = {
    width: Math.max(300, plotElement.clientWidth),
    height: HEIGHT,
    scales: right
      ? { x: { time: false }, y: { auto: true }, r: { auto: true } }
      : { x: { time: false }, y: { auto: true } },
    ...seriesOf(spec, plot),
    axes,
    cursor: { sync: { key: 'aha-steps' } },
    hooks: {
      draw: [() => { chart.draws++; }],
      setSelect: [u => { if (u.select.width > 0) chart.zoomed = true; }],
    },
  };
  chart.plot = new uPlot(options, plot.data, plotElement);
  chart.signature = plot.signature;
  chart.plot.over.addEventListener('dblclick', () => { chart.zoomed = false; });
}

function layout() {
  const container = document.getElementById('charts');
  for (const spec of CHARTS) {
    const element = document.createElement('div');
    element.className = 'chart empty';
    element.id = `chart-${spec.id}`;
    element.innerHTML = `<h3>${aha.esc(spec.title)}</h3><div class="plot"></div><p class="note muted"></p>`;
    container.appendChild(element);
    charts.set(spec.id, { spec, element, plot: null, signature: null, zoomed: false, draws: 0 });
  }
}

/**
 * The calculator chart's note: for each run with the metric, the first GRPO step at which most of
 * the step's responses called it. A kept line of a thinned run stands for the lines up to the next
 * one, so when the first line whose range passes a half is not over a half itself, the step lies
 * among the ones it stands for, and the note gives that span.
 */
function majorityNote() {
  const key = 'tools/responses_with_call';
  const said = [];
  for (const run of runs) {
    const lines = [...run.byStep.values()]
      .filter(line => (line.stage ?? 'grpo') === 'grpo' && typeof line[key] === 'number')
      .sort((a, b) => a.step - b.step);
    if (lines.length === 0) continue;
    const who = overlay ? `${runLabel(run)}: calls` : 'Calls';
    const first = lines.find(line => (line.thinned?.max?.[key] ?? line[key]) > 0.5);
    if (!first) {
      said.push(`${who} not yet in most responses.`);
      continue;
    }
    const step = first.step - stageOffset(run, 'grpo');
    const span = first.thinned?.lines ?? 1;
    said.push(first[key] > 0.5 || span === 1
      ? `${who} first in most responses at step ${aha.fmt(step)}.`
      : `${who} first in most responses at a step from ${aha.fmt(step)} to ${aha.fmt(step + span - 1)}.`);
  }
  return said.join(' ');
}

/** Redraws every chart from the lines and reports received so far. */
function redraw() {
  window.ahaDashboard.redraws++;
  let any = false;
  for (const spec of CHARTS) {
    const chart = charts.get(spec.id);
    const plot = plotOf(spec);
    const note = chart.element.querySelector('.note');
    const flatNote = plot.flat.length
        ? `Not drawn, always 0: ${plot.flat.join(', ')}${spec.id === 'policy' ? ' (no reference model when beta is 0)' : ''}`
          + `${spec.id === 'clip' ? ' (nothing is clipped with one pass a batch)' : ''}.`
        : '';
    const thinned = Math.max(1, ...plot.banded.map(d => thinnedTo(d.run)));
    const bandNote = plot.banded.length
        ? `A long run: each point stands for up to ${aha.fmt(thinned)} steps, the shading spans their lowest to highest value.`
        : '';
    note.textContent = [flatNote, bandNote, spec.id === 'tools' ? majorityNote() : ''].filter(Boolean).join(' ');
    if (!plot.anyPoint) {
      chart.element.classList.add('empty');
      continue;
    }
    any = true;
    chart.element.classList.remove('empty');
    chart.element.classList.toggle('flat', plot.drawn.length === 0);
    if (chart.plot && chart.signature !== plot.signature) {
      chart.plot.destroy(); // other series (a run's first eval, a mode switch): build it anew
      chart.plot = null;
    }
    if (plot.drawn.length === 0) continue;
    if (chart.plot) {
      chart.plot.setData(plot.data, !chart.zoomed);
    } else {
      makeChart(spec, plot);
    }
  }
  document.getElementById('nodata').hidden = any;
  showRuns();
}

let pending = null;
function scheduleRedraw() {
  if (pending === null) {
    pending = setTimeout(() => { pending = null; redraw(); }, 100);
  }
}

function connect(run) {
  const events = new EventSource(aha.api(run.name, 'events'));
  events.addEventListener('metrics', event => {
    const message = JSON.parse(event.data);
    if (message.reset) {
      run.byStep.clear();
      run.warnings = [];
    }
    for (const line of message.metrics) {
      if (typeof line.step === 'number') run.byStep.set(line.step, line);
      if (Object.keys(line).some(key => key.startsWith('eval/'))) scheduleEvalReload();
      if ('rollout/nodes' in line) scheduleNodesReload();
    }
    run.warnings.push(...message.warnings);
    run.skipped = message.skipped;
    window.ahaDashboard.events++;
    scheduleRedraw();
  });
  events.addEventListener('problem', event => {
    run.warnings.push(`stream: ${JSON.parse(event.data).error}`);
    showRuns();
  });
  events.onopen = () => { run.connected = true; showRuns(); };
  events.onerror = () => { run.connected = false; showRuns(); }; // the browser reconnects by itself
}

async function loadSummaries() {
  await Promise.all(runs.map(async run => {
    try {
      run.summary = await aha.get(aha.api(run.name));
    } catch (e) {
      run.summary = { status: 'unknown', error: e.message };
    }
  }));
  showRuns();
}

/** The green dot of a run that is training now; a finished or stopped run has none. */
function liveness(run) {
  if (!run.connected) return '<span class="muted">connecting…</span>';
  if (run.summary?.status !== 'running') return '';
  return '<span title="training now; the charts follow it"><span class="live on"></span>live</span>';
}

/** One line per run: status, live dot, stage and step, links; then the warnings. */
function showRuns() {
  document.getElementById('runs').innerHTML = runs.map(run => {
    const steps = [...run.byStep.keys()];
    const last = steps.length ? run.byStep.get(Math.max(...steps)) : null;
    const dash = overlay ? `<svg width="36" height="8"><line x1="0" y1="4" x2="36" y2="4" stroke="#555"
        stroke-width="2" stroke-dasharray="${DASHES[run.index % DASHES.length].join(' ')}"/></svg>` : '';
    const name = encodeURIComponent(run.name);
    return `<div class="runline">
      ${dash}
      <strong>${aha.esc(run.name)}</strong>
      ${aha.statusBadge(run.summary?.status)}
      ${liveness(run)}
      <span title="${last ? `global step ${aha.fmt(last.step)} of metrics.jsonl` : ''}">${last
          ? `${aha.esc(last.stage ?? '')} step ${aha.fmt(last.step - stageOffset(run, last.stage ?? 'grpo'))}` : 'no steps yet'}</span>
      <span class="muted">${last ? `elapsed ${aha.duration(last.elapsed_s)} · ${aha.esc(last.time ?? '')}` : ''}</span>
      ${run.summary?.error ? `<span class="badge bad">${aha.esc(run.summary.error)}</span>` : ''}
      <a href="/samples.html?run=${name}">samples</a>
      <a href="/problems.html?run=${name}">problem pass rates</a>
    </div>`;
  }).join('');
  const warnings = runs.flatMap(run => run.warnings);
  const skipped = runs.reduce((sum, run) => sum + run.skipped, 0);
  aha.showWarnings(document.getElementById('warnings'), warnings, skipped);
}

let evalTimer = null;
function scheduleEvalReload() {
  clearTimeout(evalTimer);
  evalTimer = setTimeout(loadEvals, 500);
}

/** Every run's eval reports (the chart draws them); the first run's also as a table. */
async function loadEvals() {
  const answers = await Promise.all(runs.map(run => aha.get(aha.api(run.name, 'eval')).catch(() => null)));
  answers.forEach((answer, i) => { if (answer) runs[i].evals = answer.reports; });
  scheduleRedraw();
  const answer = answers[0];
  const section = document.getElementById('eval-section');
  section.hidden = overlay || !answer || answer.reports.length === 0;
  if (section.hidden) return;
  const offsets = new Map();
  const passKeys = [...new Set(answer.reports.flatMap(r => Object.keys(r)))]
      .filter(key => /^(pass|maj)@/.test(key)).sort();
  const columns = ['problems', 'samples', ...passKeys, 'truncated', 'mean_length'];
  const families = report => Object.entries(report.by_family || {})
      .map(([family, f]) => `${aha.esc(family)} ${aha.fmt(f['pass@1_greedy'])} / ${aha.fmt(f['pass@1'])}`).join(', ');
  document.getElementById('evals').innerHTML =
      `<thead><tr><th class="num">GRPO step</th>${columns.map(c => `<th class="num">${aha.esc(c)}</th>`).join('')}
         <th>pass@1 by family (greedy / sampled)</th><th>protocol</th></tr></thead>
       <tbody>${answer.reports.slice().reverse().map(report => `<tr>
         <td class="num">${aha.fmt(report.step - stageOffsetFor(runs[0], offsets))}</td>
         ${columns.map(c => `<td class="num">${aha.fmt(report[c])}</td>`).join('')}
         <td>${families(report)}</td><td class="muted">${aha.esc(report.protocol?.text ?? '')}</td></tr>`).join('')}</tbody>`;
}

let nodesTimer = null;
function scheduleNodesReload() {
  clearTimeout(nodesTimer);
  nodesTimer = setTimeout(loadNodes, 500);
}

/** The first run's sampler nodes, when it samples over a cluster. */
async function loadNodes() {
  const answer = await aha.get(aha.api(runs[0].name, 'nodes')).catch(() => null);
  const section = document.getElementById('nodes-section');
  section.hidden = overlay || !answer || answer.nodes.length === 0;
  if (section.hidden) return;
  const columns = [['version', 'policy version'], ['items', 'items'], ['rows', 'completions'],
    ['rows_per_s', 'completions/s'], ['in_flight', 'in flight'], ['failures', 'failures'], ['load_ms', 'weights load ms']];
  document.getElementById('nodes').innerHTML =
      `<thead><tr><th>node</th><th>device</th><th>state</th>${columns.map(([, title]) => `<th class="num">${title}</th>`).join('')}</tr></thead>
       <tbody>${answer.nodes.map(node => `<tr>
         <td>${aha.esc(node.node)}</td><td>${aha.esc(node.device)}</td><td>${node.live ? 'live' : 'dropped'}</td>
         ${columns.map(([key]) => `<td class="num">${aha.fmt(node[key])}</td>`).join('')}</tr>`).join('')}</tbody>`;
}

function stageOffsetFor(run, offsets) {
  if (!offsets.has('grpo')) offsets.set('grpo', stageOffset(run, 'grpo'));
  return offsets.get('grpo');
}

/** The x-axis switch: each stage's steps, or minutes since the run started. */
function xSwitch() {
  const select = document.getElementById('xmode');
  select.value = xMode;
  select.addEventListener('change', () => {
    xMode = select.value;
    const url = new URL(location.href);
    if (xMode === 'time') url.searchParams.set('x', 'time'); else url.searchParams.delete('x');
    history.replaceState(null, '', url);
    redraw();
  });
}

function start() {
  if (runs.length === 0) {
    document.getElementById('title').textContent = 'no run given';
    document.getElementById('nodata').textContent = 'Open a run from the list of runs.';
    return;
  }
  document.getElementById('title').textContent =
      overlay ? `${runs.length} runs overlaid` : runs[0].name;
  document.title = `aha · ${overlay ? 'overlay' : runs[0].name}`;
  layout();
  xSwitch();
  runs.forEach(connect);
  loadSummaries();
  loadEvals();
  loadNodes();
  setInterval(loadSummaries, 10000);
  window.addEventListener('resize', () => {
    for (const chart of charts.values()) {
      if (chart.plot) {
        chart.plot.setSize({ width: chart.element.querySelector('.plot').clientWidth, height: HEIGHT });
      }
    }
  });
}

start();
