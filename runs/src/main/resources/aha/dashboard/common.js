// Helpers shared by the dashboard's pages. Plain scripts: no build step, no CDN.
'use strict';

const aha = {
  /** The values of query parameter `name` of this page. */
  params(name) {
    return new URLSearchParams(location.search).getAll(name);
  },

  param(name) {
    return new URLSearchParams(location.search).get(name);
  },

  /** GET a JSON API path; rejects with the server's error message. */
  async get(path) {
    const response = await fetch(path, { headers: { Accept: 'application/json' } });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      throw new Error(body.error || `${response.status} ${response.statusText}`);
    }
    return body;
  },

  /** The API path of a run's resource. */
  api(run, what) {
    return `/api/runs/${encodeURIComponent(run)}${what ? '/' + what : ''}`;
  },

  /** Escapes text for HTML. */
  esc(text) {
    return String(text ?? '').replace(/[&<>"']/g, c => ({
      '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;',
    })[c]);
  },

  /** A number for a person: short, no noise digits. */
  fmt(value) {
    if (value === null || value === undefined || Number.isNaN(value)) return '–';
    if (typeof value !== 'number') return String(value);
    const abs = Math.abs(value);
    if (abs !== 0 && (abs < 1e-3 || abs >= 1e6)) return value.toExponential(2);
    if (Number.isInteger(value)) return String(value);
    return value.toFixed(abs < 1 ? 3 : abs < 100 ? 2 : 1);
  },

  /** Seconds as "1h 02m", "3m 05s" or "12s". */
  duration(seconds) {
    if (typeof seconds !== 'number') return '–';
    const s = Math.round(seconds);
    const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    if (h) return `${h}h ${String(m).padStart(2, '0')}m`;
    if (m) return `${m}m ${String(r).padStart(2, '0')}s`;
    return `${r}s`;
  },

  /** The short name of a run: its name without the yyyyMMdd-HHmmss- prefix. */
  shortName(run) {
    return run.replace(/^\d{8}-\d{6}-/, '');
  },

  statusBadge(status) {
    const s = status || 'unknown';
    return `<span class="badge ${aha.esc(s)}">${aha.esc(s)}</span>`;
  },

  /** Shows warnings (skipped lines) in `element`, or hides it. */
  showWarnings(element, warnings, skipped) {
    if (!warnings.length && !skipped) {
      element.hidden = true;
      return;
    }
    element.hidden = false;
    const shown = warnings.slice(0, 10).map(w => `<li><code>${aha.esc(w)}</code></li>`).join('');
    element.innerHTML = `Skipped ${skipped || warnings.length} malformed line(s):<ul>${shown}</ul>`;
  },
};
