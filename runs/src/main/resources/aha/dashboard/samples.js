// The sample browser: a run's sampled completions, newest step first, filtered by right or wrong,
// answer change, reflection marker, family, problem and step; think and answer shown apart,
// reflection markers and calls to the calculator highlighted, identical completions of a problem
// shown once.
'use strict';

const run = aha.param('run');
const LIMIT = 10;
const form = document.getElementById('filters');
const FILTERS = ['correct', 'transition', 'marker', 'family', 'problem', 'step'];
let offset = Number(aha.param('offset') || 0);
let total = 0;

function filters() {
  const data = new FormData(form);
  const query = new URLSearchParams();
  for (const key of FILTERS) {
    const value = String(data.get(key) || '').trim();
    if (value) query.set(key, value);
  }
  return query;
}

function loadFiltersFromUrl() {
  for (const key of FILTERS) {
    const value = aha.param(key);
    if (value !== null) form.elements[key].value = value;
  }
}

async function load() {
  const query = filters();
  query.set('offset', offset);
  query.set('limit', LIMIT);
  const page = new URLSearchParams(query);
  page.set('run', run);
  history.replaceState(null, '', `?${page}`);
  let answer;
  try {
    answer = await aha.get(`${aha.api(run, 'samples')}?${query}`);
  } catch (e) {
    document.getElementById('records').innerHTML = `<p class="warnings">${aha.esc(e.message)}</p>`;
    return;
  }
  total = answer.total;
  aha.showWarnings(document.getElementById('warnings'), answer.warnings, answer.skipped);
  const end = Math.min(total, offset + answer.items.length);
  document.getElementById('range').textContent =
      total === 0 ? 'nothing matches' : `problem records ${offset + 1}–${end} of ${total}, newest first`;
  for (const id of ['newer', 'newer2']) document.getElementById(id).disabled = offset === 0;
  for (const id of ['older', 'older2']) document.getElementById(id).disabled = end >= total;
  document.getElementById('records').innerHTML = answer.items.map(record).join('');
}

function record(item) {
  const link = `?run=${encodeURIComponent(run)}&problem=${encodeURIComponent(item.problem_id)}`;
  return `<article class="record">
    <header>
      <strong>step ${aha.fmt(item.step)}</strong>
      <a href="${link}">${aha.esc(item.problem_id)}</a>
      <span>gold <code>${aha.esc(item.gold)}</code></span>
      <span class="badge ${item.right > 0 ? 'ok' : 'bad'}">${item.right}/${item.size} right</span>
      <span class="muted">${aha.esc(item.kind ?? '')}</span>
    </header>
    <div class="question">${aha.esc(item.question)}</div>
    ${collapsed(item.completions || []).map(([c, copies]) => completion(c, copies)).join('')}
  </article>`;
}

/** The completions with identical texts merged: [first of them, indices of all] in order. */
function collapsed(completions) {
  const byText = new Map();
  for (const c of completions) {
    const text = String(c.text ?? '');
    if (!byText.has(text)) byText.set(text, [c, []]);
    byText.get(text)[1].push(c.index);
  }
  return [...byText.values()];
}

/** How many calls to the calculator `text` opens. */
function calls(text) {
  return (String(text ?? '').match(/<calc>/g) || []).length;
}

function completion(c, copies) {
  const markers = (c.markers || []).filter(m => Number.isInteger(m.start) && Number.isInteger(m.end));
  const callCount = calls(c.text);
  const transition = c.transition && c.transition !== 'none'
      ? `<span class="badge ${c.transition === 'wrong_to_right' ? 'aha' : ''}">${aha.esc(c.transition.replaceAll('_', ' '))}</span>` : '';
  return `<div class="completion ${c.correct ? 'right' : 'wrong'}">
    <div class="meta">
      <span class="badge ${c.correct ? 'ok' : 'bad'}">#${copies.join(', #')} ${c.correct ? 'right' : 'wrong'}</span>
      ${copies.length > 1 ? `<span class="badge copies" title="identical completions">×${copies.length}</span>` : ''}
      <span>reward ${aha.fmt(c.reward)}</span>
      <span>extracted <code>${aha.esc(c.extracted ?? '–')}</code></span>
      <span>${aha.esc(c.reason ?? '')}</span>
      <span>${aha.esc(c.finish ?? '')}${c.finish === 'length' ? ' (clipped)' : ''}</span>
      <span>${aha.fmt(c.length)} tokens</span>
      ${callCount ? `<span class="badge tool-count">${callCount} calculator call${callCount > 1 ? 's' : ''}</span>` : ''}
      ${c.format_ok === false ? '<span class="badge bad">format</span>' : ''}
      ${transition}
      ${markers.length ? `<span>markers: ${markers.map(m => aha.esc(m.marker)).join(', ')}</span>` : ''}
    </div>
    ${parts(String(c.text ?? ''), markers)}
  </div>`;
}

/** The think part, the answer and any text outside both, each with its markers highlighted. */
function parts(text, markers) {
  const open = (tag, from) => { const i = text.indexOf(tag, from); return i < 0 ? -1 : i; };
  const thinkAt = open('<think>', 0);
  const answerAt = open('<answer>', 0);
  const sections = [];
  if (thinkAt >= 0) {
    const from = thinkAt + '<think>'.length;
    let to = open('</think>', from);
    if (to < 0) to = answerAt > from ? answerAt : text.length;
    sections.push({ kind: 'think', from, to, outer: [thinkAt, Math.min(text.length, to + '</think>'.length)] });
  }
  if (answerAt >= 0) {
    const from = answerAt + '<answer>'.length;
    let to = open('</answer>', from);
    if (to < 0) to = text.length;
    sections.push({ kind: 'answer', from, to, outer: [answerAt, Math.min(text.length, to + '</answer>'.length)] });
  }
  if (sections.length === 0) {
    return section('outside', 'no think / answer tags', text, 0, text.length, markers);
  }
  // text outside the tags (a preamble, trailing words) is shown too, dimmed
  let html = '';
  let cursor = 0;
  for (const s of sections.sort((a, b) => a.outer[0] - b.outer[0])) {
    if (s.outer[0] > cursor && text.slice(cursor, s.outer[0]).trim()) {
      html += section('outside', 'outside the tags', text, cursor, s.outer[0], markers);
    }
    html += section(s.kind, s.kind, text, s.from, s.to, markers);
    cursor = Math.max(cursor, s.outer[1]);
  }
  if (text.slice(cursor).trim()) html += section('outside', 'outside the tags', text, cursor, text.length, markers);
  return html;
}

function section(kind, title, text, from, to, markers) {
  return `<div class="part ${kind}"><span class="tag">${aha.esc(title)}</span><pre>${highlight(text, from, to, markers)}</pre></div>`;
}

/**
 * The calculator's calls and answers in `text` (docs/tools.md), tags included: each
 * <calc>…</calc> the policy wrote and each <result>…</result> the environment wrote after it. A
 * call cut off by the token limit runs to the end.
 */
function toolSpans(text) {
  const spans = [];
  for (const m of text.matchAll(/<calc>[\s\S]*?(?:<\/calc>|$)|<result>[\s\S]*?(?:<\/result>|$)/g)) {
    const call = m[0].startsWith('<calc>');
    spans.push({
      start: m.index,
      end: m.index + m[0].length,
      open: call
        ? '<span class="tool calc" title="a call to the calculator, written by the policy">'
        : '<span class="tool result" title="the calculator\'s answer, written by the environment (not trained on)">',
      close: '</span>',
    });
  }
  return spans;
}

/**
 * text[from, to) as HTML: the markers inside it wrapped in <mark class="reflect">, the calculator's
 * calls and answers in <span class="tool calc"> and <span class="tool result">. Where a marker and a
 * call overlap, the one that starts first is drawn.
 */
function highlight(text, from, to, markers) {
  const spans = markers.map(m => ({
    start: m.start,
    end: m.end,
    open: `<mark class="reflect" title="${aha.esc(m.marker)}">`,
    close: '</mark>',
  })).concat(toolSpans(text)).sort((a, b) => a.start - b.start);
  let html = '';
  let at = from;
  for (const span of spans) {
    const start = Math.max(span.start, at);
    const end = Math.min(span.end, to);
    if (end <= start) continue;
    html += aha.esc(text.slice(at, start));
    html += span.open + aha.esc(text.slice(start, end)) + span.close;
    at = end;
  }
  return html + aha.esc(text.slice(at, to));
}

async function loadProblemIds() {
  try {
    const answer = await aha.get(aha.api(run, 'problems'));
    const options = values => [...new Set(values)].sort().map(v => `<option value="${aha.esc(v)}">`).join('');
    document.getElementById('problem-ids').innerHTML = options(answer.problems.map(p => p.problem_id));
    document.getElementById('family-names').innerHTML = options(answer.problems.map(p => p.family).filter(Boolean));
    document.getElementById('marker-names').innerHTML = options(answer.markers || []);
  } catch (e) {
    // the list only helps typing; the filter works without it
  }
}

function start() {
  if (!run) {
    document.getElementById('records').textContent = 'No run given: open one from the list of runs.';
    return;
  }
  const runPage = `/run.html?run=${encodeURIComponent(run)}`;
  const link = document.getElementById('run-link');
  link.href = runPage;
  link.textContent = run;
  document.getElementById('problems-link').href = `/problems.html?run=${encodeURIComponent(run)}`;
  document.title = `aha · samples · ${run}`;
  loadFiltersFromUrl();
  form.addEventListener('submit', event => { event.preventDefault(); offset = 0; load(); });
  document.getElementById('clear').addEventListener('click', () => { form.reset(); offset = 0; load(); });
  for (const id of ['newer', 'newer2']) {
    document.getElementById(id).addEventListener('click', () => { offset = Math.max(0, offset - LIMIT); load(); });
  }
  for (const id of ['older', 'older2']) {
    document.getElementById(id).addEventListener('click', () => { offset += LIMIT; load(); });
  }
  setInterval(() => {
    if (document.getElementById('follow').checked && offset === 0) load();
  }, 5000);
  load();
  loadProblemIds();
}

start();
