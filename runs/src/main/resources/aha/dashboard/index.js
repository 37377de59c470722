// The list of runs, newest first, refreshed every few seconds.
'use strict';

const MAX_OVERLAY = 4; // each run is one live stream; browsers allow six connections per host
const selected = new Set();

async function refresh() {
  const error = document.getElementById('error');
  try {
    const answer = await aha.get('/api/runs');
    error.hidden = true;
    render(answer);
  } catch (e) {
    error.hidden = false;
    error.textContent = `Cannot list runs: ${e.message}`;
  }
}

function render(answer) {
  document.getElementById('root').textContent = answer.root;
  const runs = answer.runs.slice().reverse();
  document.getElementById('empty').hidden = runs.length > 0;
  const present = new Set(runs.map(r => r.name));
  [...selected].filter(name => !present.has(name)).forEach(name => selected.delete(name));
  document.querySelector('#runs tbody').innerHTML = runs.map(run => {
    const name = aha.esc(run.name);
    const page = `/run.html?run=${encodeURIComponent(run.name)}`;
    const command = (run.command || []).join(' ');
    return `<tr>
      <td><input type="checkbox" data-run="${name}" ${selected.has(run.name) ? 'checked' : ''}></td>
      <td><a href="${page}">${name}</a></td>
      <td>${aha.statusBadge(run.status)}${run.manifest_error ? ' <span class="muted" title="' + aha.esc(run.manifest_error) + '">(manifest unreadable)</span>' : ''}</td>
      <td>${aha.esc(run.stage ?? '–')}</td>
      <td class="num">${aha.fmt(run.step)}</td>
      <td class="num">${aha.duration(run.elapsed_s)}</td>
      <td class="muted">${aha.esc(run.started_at ?? '–')}</td>
      <td><code>${aha.esc(command)}</code></td>
      <td><a href="/samples.html?run=${encodeURIComponent(run.name)}">samples</a>
          · <a href="/problems.html?run=${encodeURIComponent(run.name)}">problems</a></td>
    </tr>`;
  }).join('');
  document.querySelectorAll('#runs input[type=checkbox]').forEach(box => {
    box.addEventListener('change', () => {
      if (box.checked) selected.add(box.dataset.run); else selected.delete(box.dataset.run);
      if (selected.size > MAX_OVERLAY) {
        selected.delete(box.dataset.run);
        box.checked = false;
      }
      updateOverlayButton();
    });
  });
  updateOverlayButton();
}

function updateOverlayButton() {
  document.getElementById('overlay').disabled = selected.size < 2;
}

document.getElementById('overlay').addEventListener('click', () => {
  const query = [...selected].sort().map(name => `run=${encodeURIComponent(name)}`).join('&');
  location.href = `/run.html?${query}`;
});

refresh();
setInterval(refresh, 5000);
