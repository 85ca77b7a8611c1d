// One run: live progress per phase, the status timeline, its file, and its entries page by page.

import {h, clear, fill, badge, copyable, failure, announce, toast, poller, progressBar, updateProgressBar} from './dom.js';
import {getJson, postJson, query, download} from './api.js';
import {formatTime, formatDuration, formatCount, formatBytes, formatUsd, isActive, statusLabel, statusTone} from './format.js';
import {metricsPanel} from './metrics.js';

const PHASES = ['attributes', 'categories', 'products', 'relations'];
const STATUSES = ['planned', 'succeeded', 'failed', 'cancelled', 'rejected'];
const EVENTS = ['attribute_created', 'attribute_updated', 'attribute_deleted', 'category_created', 'category_updated',
  'category_deleted', 'product_created', 'product_updated', 'product_deleted'];
const PAGE_SIZES = [25, 50, 100, 200];

export function renderRun(main, id, parameters) {
  let alive = true;
  let run = null;
  let installation = null;
  const filters = {
    status: pick(parameters.get('status'), STATUSES),
    phase: pick(parameters.get('phase'), PHASES),
    event: pick(parameters.get('event'), EVENTS),
    limit: Number(pick(parameters.get('limit'), PAGE_SIZES.map(String)) || 50),
  };
  // Cursors of the pages before the current one, so that "Previous" needs no backwards API.
  let cursors = [null];
  let nextCursor = null;
  // Built by entriesSection(), which runs while the page is assembled below.
  let entriesBody;
  let entriesStatus;
  let previous;
  let next;
  let pageLabel;
  let selects;

  const heading = h('h1', {}, 'Run');
  const headBadge = h('span', {id: 'run-status'});
  const crumbInstallation = h('a', {href: '#/'}, 'Installation');
  const actions = h('div', {class: 'actions'});
  const overall = h('div', {class: 'overall'});
  const facts = h('dl', {class: 'facts'});
  const timeline = h('ol', {class: 'timeline', 'aria-label': 'Status timeline'});
  const phases = h('div', {class: 'phases'});
  const file = h('div', {class: 'file'});
  const metrics = metricsPanel(id);
  const guard = h('div', {id: 'deletion-guard', role: 'status'});
  const preview = h('section', {class: 'card preview', id: 'preview', 'aria-labelledby': 'preview-heading', hidden: true});

  main.append(
    h('nav', {class: 'breadcrumb', 'aria-label': 'Breadcrumb'},
      h('a', {href: '#/'}, 'Installations'), h('span', {'aria-hidden': 'true'}, ' / '), crumbInstallation,
      h('span', {'aria-hidden': 'true'}, ' / '), h('span', {'aria-current': 'page'}, 'Run')),
    h('div', {class: 'page-head with-actions'}, h('div', {class: 'title-row'}, heading, headBadge), actions),
    guard,
    preview,
    h('section', {class: 'card summary', 'aria-labelledby': 'summary-heading'},
      h('h2', {id: 'summary-heading', class: 'visually-hidden'}, 'Summary'), overall, timeline, facts, file),
    h('section', {'aria-labelledby': 'phases-heading'}, h('h2', {id: 'phases-heading'}, 'Phases'), phases),
    metrics.element,
    entriesSection());

  // ---- run summary -----------------------------------------------------------------------------

  const live = poller(refresh, 1500);

  let ticks = 0;
  async function refresh() {
    const previous = run;
    run = await getJson(`v1/synchronizations/${id}`);
    if (!alive) return;
    renderRun();
    // While the run goes on, the first page of entries follows it every few seconds; later pages stay put.
    if (isActive(run) && cursors.length === 1 && ++ticks % 4 === 0) {
      loadEntries(null);
      metrics.refresh();
    }
    if (previous && isActive(previous) && !isActive(run)) {
      announce(`The run ended: ${statusLabel(run.status)}.`);
      loadEntries(cursors.at(-1));
      metrics.refresh();
    }
    if (!isActive(run) && !filePending(run)) live.stop();
  }

  // The App's file is fetched after the run ended: the page follows it until it is stored or given up on.
  function filePending(r) {
    return r?.file?.status === 'pending';
  }

  async function load() {
    try {
      run = await getJson(`v1/synchronizations/${id}`);
      if (!alive) return;
      renderRun();
      if (isActive(run) || filePending(run)) live.start();
      loadEntries(null);
      metrics.refresh();
      installation = await getJson(`v1/installations/${run.installation_id}`).catch(() => null);
      if (!alive || !installation) return;
      crumbInstallation.textContent = installation.name;
      crumbInstallation.href = `#/installations/${installation.id}`;
      renderFile();
    } catch (e) {
      if (!alive || e.status === 401) return;
      fill(main, h('h1', {}, 'Run'), failure('The run could not be loaded.', e));
    }
  }

  function renderRun() {
    document.title = `${run.mode} run ${statusLabel(run.status)} · Syncline`;
    heading.textContent = `${run.mode === 'full' ? 'Full' : 'Incremental'} run`;
    fill(headBadge, badge(run.status));
    const label = 'Progress of the run';
    const existing = overall.querySelector('.progress-row');
    if (existing) updateProgressBar(existing, run.progress_percent, statusTone(run.status));
    else overall.append(progressBar(run.progress_percent, label, {status: statusTone(run.status)}));
    renderTotals();
    renderTimeline();
    renderFacts();
    renderPhases();
    renderActions();
    renderGuard();
    renderPreview();
    renderFile();
  }

  function renderTotals() {
    let totals = overall.querySelector('.totals');
    if (!totals) {
      totals = h('p', {class: 'totals', id: 'run-totals'});
      overall.append(totals);
    }
    const t = run.totals;
    fill(totals, 
      h('span', {}, h('strong', {}, formatCount(t.succeeded + t.failed + t.cancelled)), ` of ${formatCount(t.planned)} entries done`),
      h('span', {class: 'ok-text'}, `${formatCount(t.succeeded)} succeeded`),
      h('span', {class: t.failed ? 'bad-text' : ''}, `${formatCount(t.failed)} failed`),
      h('span', {}, `${formatCount(t.cancelled)} cancelled`),
      run.rejected_lines ? h('a', {href: '#', onclick: (e) => { e.preventDefault(); setFilter({status: 'rejected', phase: '', event: ''}); }},
        `${formatCount(run.rejected_lines)} snapshot lines rejected`) : null);
  }

  function renderTimeline() {
    const ended = !isActive(run);
    const held = run.status === 'awaiting_confirmation';
    const executed = run.status !== 'preparing' && !held && (run.totals.planned > 0 || run.status === 'execution' || run.status.startsWith('finished'));
    const step = (name, state, when) => h('li', {class: `step ${state}`, 'aria-current': state === 'current' ? 'step' : false},
      h('span', {class: 'dot', 'aria-hidden': 'true'}),
      h('span', {class: 'step-name'}, name),
      h('span', {class: 'step-when'}, when));
    fill(timeline, 
      step('Created', 'done', formatTime(run.created_at)),
      step('Execution', run.status === 'execution' ? 'current' : executed ? 'done' : ended ? 'skipped' : 'pending',
        run.status === 'execution' ? `phase ${run.current_phase ?? '…'}` : executed ? `${formatCount(run.totals.planned)} entries planned`
          : run.status === 'preparing' ? 'planning…' : held ? 'awaiting confirmation' : 'not reached'),
      step(ended ? `Ended: ${statusLabel(run.status)}` : 'Ended', ended ? `done ${statusTone(run.status)}` : 'pending',
        ended ? `${formatTime(run.ended_at)} · ${formatDuration(run.duration_ms)}` : `running for ${formatDuration(run.duration_ms)}`));
  }

  function renderFacts() {
    const fact = (term, ...value) => [h('dt', {}, term), h('dd', {}, ...value)];
    fill(facts, 
      fact('Run id', h('span', {class: 'mono'}, run.id)),
      fact('Snapshot', h('span', {class: 'mono'}, run.snapshot_id ?? '—')),
      fact('Started', formatTime(run.created_at)),
      fact('Duration', formatDuration(run.duration_ms)),
      run.reason ? fact('Reason', run.reason) : null,
      run.cost ? fact('Cost', cost(run.cost)) : null,
      run.notifications?.length ? fact('Notices', h('ul', {class: 'notices', id: 'run-notices'}, ...run.notifications.map(notice))) : null);
  }

  // What the run used of AWS, estimated in dollars: the total, then each service, dearest first.
  function cost(c) {
    const services = Object.entries(c.services ?? {}).sort(([, a], [, b]) => b.estimated_usd - a.estimated_usd);
    return h('div', {id: 'run-cost'},
      h('strong', {class: 'cost-total'}, formatUsd(c.estimated_usd)),
      h('span', {class: 'sub'}, ` estimated at list prices of ${c.prices_as_of}`),
      h('ul', {class: 'cost-services'}, ...services.map(([name, service]) => h('li', {'data-service': name},
        h('span', {class: 'mono'}, name), ` ${formatUsd(service.estimated_usd)}`,
        h('span', {class: 'sub'}, ` · ${serviceFigures(name, service)}`)))));
  }

  function serviceFigures(name, service) {
    if (name === 'lambda') return `${formatCount(service.requests)} invocations, ${service.gb_seconds} GB-s`;
    if (name === 'dynamodb') return `${formatCount(service.requests)} requests, ${service.read_units} read and ${service.write_units} write units`;
    return `${formatCount(service.requests)} requests`;
  }

  // A badge in the tone of a status, with its own words.
  function tag(tone, label) {
    return h('span', {class: `badge ${statusTone(tone)}`}, label);
  }

  // synchronization_started / _ended after their retries: delivered, or failed with the App's last answer.
  function notice(n) {
    const tries = n.attempts === 1 ? '1 attempt' : `${n.attempts} attempts`;
    return h('li', {'data-event': n.event},
      h('span', {class: 'mono'}, n.event), ' ', tag(n.status === 'delivered' ? 'succeeded' : 'failed', n.status), ` · ${tries}`,
      n.last_answer ? h('span', {class: 'sub'}, ` · ${n.last_answer}`) : null);
  }

  function renderPhases() {
    if (!phases.children.length) {
      for (const phase of PHASES) {
        phases.append(h('article', {class: 'phase card', dataset: {phase}, 'aria-labelledby': `phase-${phase}`},
          h('div', {class: 'phase-head'}, h('h3', {id: `phase-${phase}`}, phase), h('span', {class: 'phase-state'})),
          progressBar(0, `Progress of the ${phase} phase`),
          h('dl', {class: 'counts'})));
      }
    }
    for (const phase of PHASES) {
      const counts = run.phases[phase] ?? {planned: 0, succeeded: 0, failed: 0, cancelled: 0};
      const done = counts.succeeded + counts.failed + counts.cancelled;
      const percent = counts.planned === 0 ? (isActive(run) ? 0 : 100) : Math.floor(100 * done / counts.planned);
      const card = phases.querySelector(`[data-phase=${phase}]`);
      const current = run.current_phase === phase;
      card.classList.toggle('current', current);
      const state = current ? 'in progress' : counts.planned === 0 ? (isActive(run) ? 'waiting' : 'nothing to do') : done === counts.planned ? 'done' : isActive(run) ? 'waiting' : 'stopped';
      card.querySelector('.phase-state').textContent = state;
      updateProgressBar(card.querySelector('.progress-row'), percent, counts.failed ? 'warn' : current ? 'busy' : percent === 100 ? 'ok' : '');
      const count = (term, value, tone = '') => [h('dt', {}, term), h('dd', {class: tone}, formatCount(value))];
      fill(card.querySelector('.counts'), 
        count('Planned', counts.planned), count('Succeeded', counts.succeeded, 'ok-text'),
        count('Failed', counts.failed, counts.failed ? 'bad-text' : ''), count('Cancelled', counts.cancelled));
    }
  }

  function renderActions() {
    clear(actions);
    if (run.dry_run && run.status === 'awaiting_confirmation') {
      actions.append(actionButton('confirm', 'Run', 'Starting…', 'primary', 'The preview runs: exactly its plan is sent.'),
        actionButton('cancel', 'Discard', 'Discarding…', 'danger', 'The preview was discarded; nothing was sent.'));
      return;
    }
    if (run.status === 'awaiting_confirmation') {
      actions.append(actionButton('confirm', 'Confirm deletions', 'Confirming…', '', 'The deletions were confirmed: the run goes on.'));
    }
    if (isActive(run)) {
      actions.append(actionButton('cancel', 'Cancel run', 'Cancelling…', 'danger', 'The run was cancelled.'));
    }
  }

  /** A button that POSTs v1/synchronizations/{id}/{verb} and shows the run it answers. */
  function actionButton(verb, label, busyLabel, tone, done) {
    const button = h('button', {type: 'button', class: `button ${tone}`.trim(), id: `${verb}-run`}, label);
    button.addEventListener('click', async () => {
      button.disabled = true;
      button.textContent = busyLabel;
      try {
        run = await postJson(`v1/synchronizations/${id}/${verb}`);
        announce(done);
        toast(done);
        renderRun();
        if (isActive(run) || filePending(run)) live.start();
        loadEntries(cursors.at(-1));
      } catch (e) {
        if (e.status === 401) return;
        toast(`Could not ${verb}: ${e.message}`, 'error');
        button.disabled = false;
        button.textContent = label;
      }
    });
    return button;
  }

  // A run the deletion guard held says what it would delete, beside the buttons that decide.
  function renderGuard() {
    const held = run.deletion_guard;
    if (run.status !== 'awaiting_confirmation' || !held) {
      clear(guard);
      guard.className = '';
      return;
    }
    guard.className = 'notice warn';
    fill(guard,
      h('strong', {}, 'Deletions held for confirmation. '),
      `This run would delete ${formatCount(held.would_delete)} of the ${formatCount(held.held)} resources the App holds. `,
      'Nothing was sent to the App. Confirm if the catalog really shrank; cancel if the export was incomplete.');
  }

  // A preview: what the plan would send, with the first entries of each event and why, before anything is sent.
  function renderPreview() {
    const p = run.preview;
    preview.hidden = !run.dry_run;
    if (!run.dry_run) return;
    if (!p) {
      fill(preview, h('h2', {id: 'preview-heading'}, 'Preview'), h('p', {class: 'hint', role: 'status'}, 'Planning the preview… nothing is sent to the App.'));
      return;
    }
    const waiting = run.status === 'awaiting_confirmation';
    const reason = (r) => r.kind === 'changed' && r.changed.length ? `changed: ${r.changed.join(', ')}` : r.kind.replaceAll('_', ' ');
    const estimate = p.estimate;
    fill(preview,
      h('h2', {id: 'preview-heading'}, 'Preview'),
      h('p', {class: 'hint'}, waiting
        ? `Nothing was sent to the App. Run sends exactly this plan; Discard drops it. Unanswered, it is discarded at ${formatTime(p.expires_at)}.`
        : `This run was previewed first; the preview showed this plan.`),
      h('dl', {class: 'facts', id: 'preview-estimate'},
        h('dt', {}, 'Entries'), h('dd', {}, formatCount(p.entries)),
        h('dt', {}, 'Estimated duration'), h('dd', {}, formatDuration(estimate.duration_seconds * 1000), h('span', {class: 'sub'},
          estimate.basis === 'recent_runs' ? ` · at the pace of the last ${estimate.runs} run${estimate.runs === 1 ? '' : 's'}` : ` · assuming 200 ms per request, ${estimate.window} at a time`)),
        h('dt', {}, 'Deletions'), h('dd', {}, `${formatCount(p.deletions.planned)} of the ${formatCount(p.deletions.held)} resources the App holds`,
          p.deletions.guard_would_hold ? h('span', {class: 'bad-text'}, ' · more than the deletion guard lets through') : null),
        h('dt', {}, 'Rejected lines'), h('dd', {}, formatCount(p.rejected_lines.count))),
      h('div', {class: 'table-wrap'}, h('table', {class: 'data', id: 'preview-changes'},
        h('caption', {class: 'visually-hidden'}, 'What the run would send, per phase and event, with the first entries and why'),
        h('thead', {}, h('tr', {}, h('th', {scope: 'col'}, 'Phase'), h('th', {scope: 'col'}, 'Event'), h('th', {scope: 'col', class: 'num'}, 'Entries'),
          h('th', {scope: 'col'}, 'First entries and why'))),
        h('tbody', {}, p.changes.map((change) => h('tr', {dataset: {event: change.event}},
          h('td', {}, change.phase), h('td', {class: 'mono'}, change.event), h('td', {class: 'num'}, formatCount(change.count)),
          h('td', {}, h('ul', {class: 'samples'}, change.samples.map((sample) => h('li', {},
            h('span', {class: 'mono'}, sample.resource.id), ' ', h('span', {class: 'sub'}, reason(sample.reason))))))))))),
      p.rejected_lines.first.length ? h('ul', {class: 'samples', id: 'preview-rejected', 'aria-label': 'First rejected lines'},
        p.rejected_lines.first.map((line) => h('li', {}, `line ${line.line}: ${line.reason}`))) : null);
  }

  // The file and the feed come with the file features: rendered when the API shows them.
  function renderFile() {
    const info = run?.file;
    const feedUrl = run?.feed_url ?? info?.feed_url ?? installation?.feed_url;
    clear(file);
    if (!info && !feedUrl) return;
    const parts = [h('h3', {}, 'File')];
    if (info && info.status !== 'stored') {
      const label = {pending: 'Being fetched from the App…', failed: 'Not fetched', too_large: 'Too large, not stored'}[info.status] ?? info.status;
      parts.push(h('div', {class: 'file-row', id: 'file-status', 'data-status': info.status},
        tag(info.status === 'pending' ? 'execution' : 'failed', label),
        info.reason ? h('span', {class: 'sub'}, info.reason) : null));
    } else if (info) {
      const name = info.name ?? info.file_name ?? `synchronization-${run.id}`;
      const button = h('button', {type: 'button', class: 'button', id: 'download-file'}, 'Download file');
      button.addEventListener('click', async () => {
        button.disabled = true;
        try {
          await download(info.url ?? `v1/synchronizations/${run.id}/file`, name);
        } catch (e) {
          if (e.status !== 401) toast(`The file could not be downloaded: ${e.message}`, 'error');
        } finally {
          button.disabled = false;
        }
      });
      const size = info.size_bytes ?? info.size;
      parts.push(h('div', {class: 'file-row'}, button,
        h('span', {class: 'sub'}, [info.content_type, size !== undefined ? formatBytes(size) : null].filter(Boolean).join(' · '))));
    }
    if (feedUrl) parts.push(h('div', {class: 'file-row'}, h('span', {class: 'term'}, 'Latest feed'), copyable(feedUrl, 'feed URL')));
    file.append(...parts);
  }

  // ---- entries ---------------------------------------------------------------------------------

  function entriesSection() {
    entriesBody = h('tbody');
    entriesStatus = h('p', {class: 'table-status', role: 'status', id: 'entries-status'});
    previous = h('button', {type: 'button', class: 'button', id: 'entries-previous'}, 'Previous page');
    next = h('button', {type: 'button', class: 'button', id: 'entries-next'}, 'Next page');
    pageLabel = h('span', {class: 'page-label'});
    previous.addEventListener('click', () => {
      if (cursors.length > 1) {
        cursors.pop();
        loadEntries(cursors.at(-1), true);
      }
    });
    next.addEventListener('click', () => {
      if (nextCursor) {
        cursors.push(nextCursor);
        loadEntries(nextCursor, true);
      }
    });
    const select = (name, label, values, current, render = (v) => v) => {
      const element = h('select', {id: `filter-${name}`, name},
        h('option', {value: ''}, name === 'limit' ? '' : 'All'),
        values.map((v) => h('option', {value: v, selected: String(v) === String(current)}, render(v))));
      if (name === 'limit') element.firstElementChild.remove();
      element.addEventListener('change', () => setFilter({[name]: name === 'limit' ? Number(element.value) : element.value}));
      return h('div', {class: 'field'}, h('label', {for: `filter-${name}`}, label), element);
    };
    selects = h('form', {class: 'toolbar filters', 'aria-label': 'Filter entries', onsubmit: (e) => e.preventDefault()},
      select('status', 'Status', STATUSES, filters.status),
      select('phase', 'Phase', PHASES, filters.phase),
      select('event', 'Event', EVENTS, filters.event),
      select('limit', 'Per page', PAGE_SIZES, filters.limit),
      h('button', {type: 'button', class: 'button ghost', onclick: () => loadEntries(cursors.at(-1), true)}, 'Refresh'));
    return h('section', {'aria-labelledby': 'entries-heading'},
      h('h2', {id: 'entries-heading'}, 'Entries'),
      selects,
      h('div', {class: 'table-wrap'},
        h('table', {class: 'data stack entries', id: 'entries'},
          h('caption', {class: 'visually-hidden'}, 'Entries of the run'),
          h('thead', {}, h('tr', {},
            h('th', {scope: 'col'}, 'Resource'), h('th', {scope: 'col'}, 'Event'), h('th', {scope: 'col'}, 'Phase'),
            h('th', {scope: 'col'}, 'Status'), h('th', {scope: 'col', class: 'num'}, 'Attempts'), h('th', {scope: 'col', class: 'num'}, 'HTTP'),
            h('th', {scope: 'col', class: 'num'}, 'Duration'), h('th', {scope: 'col'}, 'Why'))),
          entriesBody)),
      entriesStatus,
      h('div', {class: 'pager'}, previous, pageLabel, next));
  }

  function setFilter(change) {
    Object.assign(filters, change);
    for (const [name, value] of Object.entries(change)) {
      const element = selects.querySelector(`#filter-${name}`);
      if (element) element.value = String(value);
    }
    const search = query({status: filters.status, phase: filters.phase, event: filters.event, limit: filters.limit === 50 ? '' : filters.limit});
    // The address keeps the filters (to share or reload) without a navigation.
    history.replaceState(null, '', `#/runs/${id}${search}`);
    cursors = [null];
    loadEntries(null, true);
  }

  let loading = 0;
  async function loadEntries(cursor, announceIt = false) {
    const ticket = ++loading;
    previous.disabled = true;
    next.disabled = true;
    entriesBody.setAttribute('aria-busy', 'true');
    entriesStatus.textContent = 'Loading entries…';
    try {
      const page = await getJson(`v1/synchronizations/${id}/entries${query({
        status: filters.status, phase: filters.phase, event: filters.event, limit: filters.limit, cursor})}`);
      if (!alive || ticket !== loading) return;
      fill(entriesBody, ...page.entries.flatMap(entryRow));
      nextCursor = page.next_cursor ?? null;
      previous.disabled = cursors.length <= 1;
      next.disabled = !nextCursor;
      pageLabel.textContent = `Page ${cursors.length}`;
      const count = page.entries.length;
      const message = count === 0
        ? (cursors.length > 1 ? 'No more entries.' : 'No entries match these filters.')
        : `Showing ${count} entr${count === 1 ? 'y' : 'ies'} on page ${cursors.length}${nextCursor ? '' : ', the last page'}.`;
      entriesStatus.textContent = message;
      if (announceIt) announce(message);
    } catch (e) {
      if (!alive || e.status === 401 || ticket !== loading) return;
      fill(entriesStatus, failure('The entries could not be loaded.', e));
      previous.disabled = cursors.length <= 1;
    } finally {
      if (ticket === loading) entriesBody.removeAttribute('aria-busy');
    }
  }

  function entryRow(entry) {
    const resource = entry.resource ? `${entry.resource.type} ${entry.resource.id}` : '—';
    const why = entry.reason
      ? [h('span', {class: 'reason'}, entry.reason.kind), entry.reason.changed?.length ? h('div', {class: 'sub'}, `changed: ${entry.reason.changed.join(', ')}`) : null]
      : entry.line ? `snapshot line ${formatCount(entry.line)}` : '—';
    const tr = h('tr', {dataset: {status: entry.status}},
      h('th', {scope: 'row', 'data-label': 'Resource'}, h('span', {class: 'mono'}, resource)),
      h('td', {'data-label': 'Event'}, entry.event ?? '—'),
      h('td', {'data-label': 'Phase'}, entry.phase ?? '—'),
      h('td', {'data-label': 'Status'}, badge(entry.status)),
      h('td', {'data-label': 'Attempts', class: 'num'}, entry.attempts ?? '—'),
      h('td', {'data-label': 'HTTP', class: `num ${entry.last_http_status >= 400 ? 'bad-text' : ''}`}, entry.last_http_status ?? '—'),
      h('td', {'data-label': 'Duration', class: 'num'}, entry.duration_ms === null || entry.duration_ms === undefined ? '—' : formatDuration(entry.duration_ms)),
      h('td', {'data-label': 'Why'}, why));
    if (!entry.error) return tr;
    // A failure's detail spans the table under its entry: the App's answer is what an operator needs first.
    const detail = h('tr', {class: 'error-row', dataset: {status: entry.status}},
      h('td', {colspan: 8},
        h('div', {class: 'error-detail'},
          h('span', {class: 'term'}, entry.status === 'rejected' ? 'Rejected' : `HTTP ${entry.last_http_status ?? '—'} after ${entry.attempts ?? 0} attempt${entry.attempts === 1 ? '' : 's'}`),
          h('pre', {class: 'excerpt'}, entry.error))));
    return [tr, detail];
  }

  load();
  return {dispose() { alive = false; live.stop(); }};
}

function pick(value, allowed) {
  return value && allowed.includes(value) ? value : '';
}
