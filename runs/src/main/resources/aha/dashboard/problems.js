// Per-problem pass rates of a run, with always-0 and always-1 problems flagged.
'use strict';

const run = aha.param('run');
let show = 'all';
let problems = [];

async function load() {
  try {
    const answer = await aha.get(aha.api(run, 'problems'));
    problems = answer.problems;
    const c = answer.counts;
    document.getElementById('counts').textContent =
        `${c.problems} problems: ${c.always_0} always 0, ${c.always_1} always 1`;
    if (answer.logged_groups_per_step > 0) {
      document.getElementById('logged').textContent =
          `the first ${answer.logged_groups_per_step} groups of each step (grpo.log_samples), not every group sampled`;
    }
    aha.showWarnings(document.getElementById('warnings'), answer.warnings, answer.skipped);
    render();
  } catch (e) {
    document.getElementById('counts').textContent = e.message;
  }
}

function render() {
  const shown = problems.filter(p =>
      show === 'all' || (show === 'mixed' ? p.flag === null : p.flag === show));
  document.querySelector('#problems tbody').innerHTML = shown.map(p => {
    const samples = `/samples.html?run=${encodeURIComponent(run)}&problem=${encodeURIComponent(p.problem_id)}`;
    const question = String(p.question ?? '');
    return `<tr class="${p.flag ? 'flag-' + p.flag : ''}" data-problem="${aha.esc(p.problem_id)}">
      <td><a href="${samples}">${aha.esc(p.problem_id)}</a></td>
      <td title="${aha.esc(question)}">${aha.esc(question.length > 90 ? question.slice(0, 89) + '…' : question)}</td>
      <td><code>${aha.esc(p.gold)}</code></td>
      <td class="num">${p.correct} / ${p.attempts}</td>
      <td><span class="bar-track"><span class="bar" style="width: ${Math.round(80 * p.pass_rate)}px"></span></span>${(100 * p.pass_rate).toFixed(0)}%</td>
      <td class="num">${p.steps}</td>
      <td class="num">${p.last_step}</td>
      <td>${p.flag ? `<span class="badge ${p.flag}">${p.flag.replace('_', ' ')}</span>` : ''}</td>
    </tr>`;
  }).join('');
}

function start() {
  if (!run) {
    document.getElementById('counts').textContent = 'No run given: open one from the list of runs.';
    return;
  }
  const link = document.getElementById('run-link');
  link.href = `/run.html?run=${encodeURIComponent(run)}`;
  link.textContent = run;
  document.getElementById('samples-link').href = `/samples.html?run=${encodeURIComponent(run)}`;
  document.title = `aha · problems · ${run}`;
  document.querySelectorAll('#show [data-show]').forEach(button => {
    button.addEventListener('click', () => {
      show = button.dataset.show;
      document.querySelectorAll('#show [data-show]').forEach(b => b.classList.toggle('on', b === button));
      render();
    });
  });
  document.getElementById('refresh').addEventListener('click', load);
  load();
  setInterval(load, 15000);
}

start();
