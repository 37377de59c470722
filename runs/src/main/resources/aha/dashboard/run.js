// Live charts of one run, or of several overlaid: the metrics arrive over server-sent events
// (/api/runs/RUN/events), the whole file first, then each appended line.
'use strict';

// Each chart: its metrics (keys of metrics.jsonl), the left axis, and the right axis of the
// series marked `right`. `sparse` charts (measured only at some steps) join their points.
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
  { id: 'speed', title: 'Throughput and the sample / verify / learn split', left: 'tokens/s', right: 'seconds', series: [
    { key: 'tokens_per_s', label: 'tokens/s' },
    { key: 'time/sample', label: 'sample s', right: true },
    { key: 'time/verify', label: 'verify s', right: true },
    { key: 'time/learn', label: 'learn s', right: true },
  ] },
  { id: 'eval', title: 'Eval pass@k', left: 'rate', right: 'tokens', sparse: true, series: [
    { key: 'eval/pass@1', label: 'pass@1' },
    { key: 'eval/pass@1_greedy', label: 'pass@1 greedy' },
    { key: 'eval/pass@k', label: 'pass@k' },
    { key: 'eval/maj@k', label: 'maj@k' },
    { key: 'eval/truncated', label: 'truncated' },
    { key: 'eval/mean_length', label: 'mean length', right: true },
  ] },
  { id: 'loss', title: 'Pretrain / SFT loss', left: 'loss', series: [
    { key: 'loss', label: 'train loss' },
    { key: 'held_out_loss', label: 'held-out loss', sparse: true },
  ] },
];

const COLORS = ['#2f6fd6', '#d64f2f', '#1f9d55', '#8e44ad', '#c79a00', '#16a2b8'];
const DASHES = [[], [8, 4], [2, 3], [12, 4, 2, 4]];
const HEIGHT = 230;

const runs = aha.params('run').slice(0, 4).map((name, i) => ({
  name, index: i, byStep: new Map(), warnings: [], skipped: 0, connected: false, summary: null,
}));
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

/** The chart's series: the x axis, then every metric of every run. */
function seriesOf(spec) {
  const series = [{ label: 'step' }];
  for (const run of runs) {
    spec.series.forEach((s, i) => series.push({
      label: overlay ? `${runLabel(run)}: ${s.label}` : s.label,
      stroke: COLORS[i % COLORS.length],
      dash: DASHES[run.index % DASHES.length],
      width: 1.6,
      scale: s.right ? 'r' : 'y',
      spanGaps: Boolean(spec.sparse || s.sparse),
      points: spec.sparse || s.sparse ? { show: true, size: 5 } : {},
      value: (u, v) => aha.fmt(v),
    }));
  }
  return series;
}

/** uPlot's columns: the steps where any run has any of the chart's metrics, then one per series. */
function dataOf(spec) {
  const keys = spec.series.map(s => s.key);
  const steps = new Set();
  for (const run of runs) {
    for (const [step, line] of run.byStep) {
      if (keys.some(key => typeof line[key] === 'number')) steps.add(step);
    }
  }
  const xs = [...steps].sort((a, b) => a - b);
  const data = [xs];
  for (const run of runs) {
    for (const key of keys) {
      data.push(xs.map(x => {
        const value = run.byStep.get(x)?.[key];
        return typeof value === 'number' && Number.isFinite(value) ? value : null;
      }));
    }
  }
  return data;
}

function makeChart(spec, data) {
  const chart = charts.get(spec.id);
  const plotElement = chart.element.querySelector('.plot');
  const axes = [
    { label: 'step' },
    { scale: 'y', label: spec.left, size: 64, values: (u, ticks) => ticks.map(aha.fmt) },
  ];
  if (spec.right) {
    axes.push({ scale: 'r', side: 1, label: spec.right, size: 72, grid: { show: false },
                values: (u, ticks) => ticks.map(aha.fmt) });
  }
  const options = {
    width: Math.max(300, plotElement.clientWidth),
    height: HEIGHT,
    scales: spec.right
      ? { x: { time: false }, y: { auto: true }, r: { auto: true } }
      : { x: { time: false }, y: { auto: true } },
    series: seriesOf(spec),
    axes,
    cursor: { sync: { key: 'aha-steps' } },
    hooks: {
      draw: [() => { chart.draws++; }],
      setSelect: [u => { if (u.select.width > 0) chart.zoomed = true; }],
    },
  };
  chart.plot = new uPlot(options, data, plotElement);
  chart.plot.over.addEventListener('dblclick', () => { chart.zoomed = false; });
}

function layout() {
  const container = document.getElementById('charts');
  for (const spec of CHARTS) {
    const element = document.createElement('div');
    element.className = 'chart empty';
    element.id = `chart-${spec.id}`;
    element.innerHTML = `<h3>${aha.esc(spec.title)}</h3><div class="plot"></div>`;
    container.appendChild(element);
    charts.set(spec.id, { spec, element, plot: null, zoomed: false, draws: 0 });
  }
}

/** Redraws every chart from the lines received so far. */
function redraw() {
  window.ahaDashboard.redraws++;
  let any = false;
  for (const spec of CHARTS) {
    const chart = charts.get(spec.id);
    const data = dataOf(spec);
    if (data[0].length === 0) {
      if (chart.plot) chart.plot.setData(data);
      chart.element.classList.add('empty');
      continue;
    }
    any = true;
    chart.element.classList.remove('empty');
    if (chart.plot) {
      chart.plot.setData(data, !chart.zoomed);
    } else {
      makeChart(spec, data);
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
      if (!overlay && Object.keys(line).some(key => key.startsWith('eval/'))) scheduleEvalReload();
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
      <span title="${run.connected ? 'live stream connected' : 'not connected'}"><span class="live ${run.connected ? 'on' : ''}"></span>${run.connected ? 'live' : 'connecting…'}</span>
      <span>${last ? `${aha.esc(last.stage ?? '')} step ${aha.fmt(last.step)}` : 'no steps yet'}</span>
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

async function loadEvals() {
  if (overlay) return;
  let answer;
  try {
    answer = await aha.get(aha.api(runs[0].name, 'eval'));
  } catch (e) {
    return;
  }
  const section = document.getElementById('eval-section');
  section.hidden = answer.reports.length === 0;
  if (section.hidden) return;
  const passKeys = [...new Set(answer.reports.flatMap(r => Object.keys(r)))]
      .filter(key => /^(pass|maj)@/.test(key)).sort();
  const columns = ['step', 'problems', 'samples', ...passKeys, 'truncated', 'mean_length'];
  const families = report => Object.entries(report.by_family || {})
      .map(([family, f]) => `${aha.esc(family)} ${aha.fmt(f['pass@1'])}`).join(', ');
  document.getElementById('evals').innerHTML =
      `<thead><tr>${columns.map(c => `<th class="num">${aha.esc(c)}</th>`).join('')}<th>pass@1 by family</th></tr></thead>
       <tbody>${answer.reports.slice().reverse().map(report => `<tr>${columns.map(c =>
          `<td class="num">${aha.fmt(report[c])}</td>`).join('')}<td>${families(report)}</td></tr>`).join('')}</tbody>`;
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
  runs.forEach(connect);
  loadSummaries();
  loadEvals();
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
