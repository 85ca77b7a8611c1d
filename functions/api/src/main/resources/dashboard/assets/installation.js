// One installation: its details, its configuration form, its run history with live progress, and starting or
// cancelling runs.

import {h, clear, fill, badge, copyable, failure, announce, toast, poller, progressBar} from './dom.js';
import {getJson, postJson, postNdjson, query, ApiError} from './api.js';
import {renderConfiguration} from './configuration.js';
import {formatTime, formatShortTime, formatDuration, formatCount, formatBytes, formatUsd, isActive, statusTone} from './format.js';

const PAGE = 20;
const COST_MONTHS = 6;
const INLINE_MAX_BYTES = 4 * 1024 * 1024;
const MODES = [
  {mode: 'incremental', feature: 'synchronization', label: 'Incremental'},
  {mode: 'full', feature: 'synchronization_full', label: 'Full'},
];

export function renderInstallation(main, id) {
  let alive = true;
  let installation = null;
  let schedule = null;
  let modes = [];
  let cursor = null;
  const runs = new Map(); // run id -> {run, row}

  const heading = h('h1', {}, 'Installation');
  const headBadge = h('span');
  const details = h('dl', {class: 'facts'});
  const configuration = h('section', {class: 'configuration', id: 'configuration', hidden: true});
  const actions = h('div', {class: 'actions'});
  const body = h('tbody');
  const tableStatus = h('p', {class: 'table-status', role: 'status'});
  const more = h('button', {type: 'button', class: 'button', hidden: true}, 'Load more');
  const costBody = h('tbody');
  const costStatus = h('p', {class: 'table-status', role: 'status'});
  more.addEventListener('click', () => loadHistory());

  main.append(
    h('nav', {class: 'breadcrumb', 'aria-label': 'Breadcrumb'}, h('a', {href: '#/'}, 'Installations'), h('span', {'aria-hidden': 'true'}, ' / '), h('span', {'aria-current': 'page'}, 'Installation')),
    h('div', {class: 'page-head with-actions'}, h('div', {}, h('div', {class: 'title-row'}, heading, headBadge)), actions),
    h('section', {class: 'card', 'aria-labelledby': 'details-heading'}, h('h2', {id: 'details-heading', class: 'visually-hidden'}, 'Details'), details),
    configuration,
    h('section', {'aria-labelledby': 'history-heading'},
      h('h2', {id: 'history-heading'}, 'Runs'),
      h('div', {class: 'table-wrap'},
        h('table', {class: 'data stack', id: 'runs'},
          h('caption', {class: 'visually-hidden'}, 'Runs of this installation, newest first'),
          h('thead', {}, h('tr', {},
            h('th', {scope: 'col'}, 'Started'), h('th', {scope: 'col'}, 'Mode'), h('th', {scope: 'col'}, 'Status'),
            h('th', {scope: 'col', class: 'progress-col'}, 'Progress'), h('th', {scope: 'col'}, 'Duration'),
            h('th', {scope: 'col', class: 'num'}, 'Planned'), h('th', {scope: 'col', class: 'num'}, 'Succeeded'),
            h('th', {scope: 'col', class: 'num'}, 'Failed'), h('th', {scope: 'col', class: 'num'}, 'Cancelled'),
            h('th', {scope: 'col'}, h('span', {class: 'visually-hidden'}, 'Actions')))),
          body)),
      tableStatus,
      h('div', {class: 'pager'}, more)),
    h('section', {'aria-labelledby': 'costs-heading'},
      h('h2', {id: 'costs-heading'}, 'Cost by month'),
      h('div', {class: 'table-wrap'},
        h('table', {class: 'data', id: 'costs'},
          h('caption', {class: 'visually-hidden'}, `What the runs of the last ${COST_MONTHS} months cost on AWS, estimated, newest first`),
          h('thead', {}, h('tr', {},
            h('th', {scope: 'col'}, 'Month'), h('th', {scope: 'col', class: 'num'}, 'Runs'),
            h('th', {scope: 'col', class: 'num'}, 'Estimated cost'), h('th', {scope: 'col'}, 'Largest'))),
          costBody)),
      costStatus));

  // Active runs are re-read every 1.5 s; the newest run every 5 s, to see runs started elsewhere.
  const live = poller(refreshActive, 1500);
  let sinceNewest = 0;

  async function load() {
    try {
      installation = await getJson(`v1/installations/${id}`);
      if (!alive) return;
      document.title = `${installation.name} · Syncline`;
      heading.textContent = installation.name;
      main.querySelector('.breadcrumb [aria-current]').textContent = installation.name;
      fill(headBadge, badge(installation.status));
      schedule = await loadSchedule();
      if (!alive) return;
      renderDetails();
      if (installation.status !== 'uninstalled') renderConfiguration(configuration, id, configured);
      const app = await getJson(`v1/apps/${encodeURIComponent(installation.app_id)}`).catch(() => ({features: []}));
      if (!alive) return;
      modes = MODES.filter((m) => (app.features ?? []).includes(m.feature));
      await loadHistory();
      await loadCosts();
    } catch (e) {
      if (!alive || e.status === 401) return;
      fill(main, h('h1', {}, 'Installation'), failure('The installation could not be loaded.', e));
    }
  }

  // A stored step can make the installation active (or, refused, leave it as it was).
  function configured(changed) {
    if (!alive) return;
    installation = {...installation, ...changed};
    fill(headBadge, badge(installation.status));
    renderDetails();
    renderActions();
  }

  function renderDetails() {
    const fact = (term, ...value) => [h('dt', {}, term), h('dd', {}, ...value)];
    fill(details, 
      fact('App', installation.app_id, h('span', {class: 'sub'}, ` version ${installation.app_version}`)),
      fact('Installation id', h('span', {class: 'mono'}, installation.id)),
      fact('PIM API URL', h('span', {class: 'mono break'}, installation.api_url)),
      fact('Dispatch', `${installation.concurrency_window} chunks in flight, ${installation.retry_budget} retries per entry`),
      fact('Installed', formatTime(installation.created_at)),
      installation.uninstalled_at ? fact('Uninstalled', formatTime(installation.uninstalled_at)) : null,
      installation.feed_url ? fact('Feed URL', copyable(installation.feed_url, 'feed URL')) : null,
      schedule ? fact('Schedule', h('span', {class: 'mono'}, schedule.expression),
        h('span', {class: 'sub'}, ` ${schedule.time_zone}, ${schedule.mode}, from ${schedule.snapshot === 'snapshot_source' ? 'the snapshot source' : 'the latest upload'}`)) : null,
      schedule ? fact('Next scheduled run', schedule.next_fire_at ? formatTime(schedule.next_fire_at) : 'never: the expression matches no future time') : null,
      schedule?.last_outcome ? fact('Last scheduled run', lastOutcome(schedule.last_outcome)) : null);
  }

  // A schedule is optional: 404 means the installation has none.
  async function loadSchedule() {
    try {
      return await getJson(`v1/installations/${id}/schedule`);
    } catch (e) {
      if (e.status === 404) return null;
      throw e;
    }
  }

  function lastOutcome(outcome) {
    const at = h('span', {class: 'sub'}, ` at ${formatTime(outcome.at)}`);
    if (outcome.outcome === 'started') {
      return [h('span', {}, 'started '), h('a', {href: `#/runs/${outcome.synchronization_id}`}, 'this run'), at];
    }
    return [h('span', {}, `${outcome.outcome}: ${outcome.reason}`), at];
  }

  async function loadHistory({reset = false} = {}) {
    more.disabled = true;
    try {
      const page = await getJson(`v1/installations/${id}/synchronizations${query({limit: PAGE, cursor: reset ? null : cursor})}`);
      if (!alive) return;
      if (reset) {
        clear(body);
        runs.clear();
      }
      for (const run of page.synchronizations) {
        const row = runRow(run);
        runs.set(run.id, {run, row});
        body.append(row);
      }
      cursor = page.next_cursor ?? null;
      more.hidden = !cursor;
      more.disabled = false;
      tableStatus.textContent = runs.size === 0 ? 'No runs yet. Start one with a snapshot of the catalog.' : '';
      renderActions();
      live.start();
    } catch (e) {
      if (!alive || e.status === 401) return;
      fill(tableStatus, failure('The runs could not be loaded.', e));
      more.disabled = false;
    }
  }

  async function loadCosts() {
    try {
      const costs = await getJson(`v1/installations/${id}/costs${query({months: COST_MONTHS})}`);
      if (!alive) return;
      fill(costBody, ...costs.months.map((month) => {
        const largest = Object.entries(month.cost.services).sort(([, a], [, b]) => b.estimated_usd - a.estimated_usd)[0];
        return h('tr', {dataset: {month: month.month}},
          h('th', {scope: 'row'}, month.month),
          h('td', {class: 'num'}, formatCount(month.runs)),
          h('td', {class: 'num'}, formatUsd(month.cost.estimated_usd)),
          h('td', {}, largest ? `${largest[0]} ${formatUsd(largest[1].estimated_usd)}` : '—'));
      }));
      costStatus.textContent = `Estimated at list prices of ${costs.prices_as_of}.`
        + (costs.complete ? '' : ' Only the most recent runs are counted: there were too many to add up.');
    } catch (e) {
      if (!alive || e.status === 401) return;
      fill(costStatus, failure('The costs could not be loaded.', e));
    }
  }

  async function refreshActive() {
    if (!alive) return;
    for (const entry of [...runs.values()].filter(({run}) => isActive(run))) {
      const run = await getJson(`v1/synchronizations/${entry.run.id}`);
      if (!alive) return;
      const ended = isActive(entry.run) && !isActive(run);
      entry.run = run;
      const row = runRow(run);
      entry.row.replaceWith(row);
      entry.row = row;
      if (ended) {
        announce(`Run ${run.mode} ended: ${run.status.replaceAll('_', ' ')}.`);
        renderActions();
        loadCosts();
      }
    }
    sinceNewest += 1500;
    if (sinceNewest >= 5000) {
      sinceNewest = 0;
      // A scheduled run may have fired (or been skipped) since: its outcome and next time change.
      const latest = await loadSchedule();
      if (alive && JSON.stringify(latest) !== JSON.stringify(schedule)) {
        schedule = latest;
        renderDetails();
      }
      const newest = await getJson(`v1/installations/${id}/synchronizations?limit=1`);
      if (alive && newest.synchronizations[0] && !runs.has(newest.synchronizations[0].id)) {
        cursor = null;
        await loadHistory({reset: true});
      }
    }
  }

  function runRow(run) {
    const active = isActive(run);
    const progress = progressBar(run.progress_percent, `Progress of the ${run.mode} run started ${formatTime(run.created_at)}`, {status: statusTone(run.status)});
    const cancel = active
      ? h('button', {type: 'button', class: 'button small danger', onclick: () => cancelRun(run, cancel)}, 'Cancel')
      : null;
    return h('tr', {dataset: {run: run.id, status: run.status}},
      h('th', {scope: 'row', 'data-label': 'Started'}, h('a', {href: `#/runs/${run.id}`, class: 'strong-link nowrap', title: formatTime(run.created_at)}, formatShortTime(run.created_at))),
      h('td', {'data-label': 'Mode'}, run.mode, run.dry_run ? h('div', {class: 'sub'}, 'preview') : null),
      h('td', {'data-label': 'Status'}, badge(run.status), run.current_phase ? h('div', {class: 'sub'}, run.current_phase) : null),
      h('td', {'data-label': 'Progress', class: 'progress-col'}, progress),
      h('td', {'data-label': 'Duration'}, formatDuration(run.duration_ms)),
      h('td', {'data-label': 'Planned', class: 'num'}, formatCount(run.totals.planned)),
      h('td', {'data-label': 'Succeeded', class: 'num'}, formatCount(run.totals.succeeded)),
      h('td', {'data-label': 'Failed', class: `num ${run.totals.failed ? 'bad-text' : ''}`}, formatCount(run.totals.failed)),
      h('td', {'data-label': 'Cancelled', class: 'num'}, formatCount(run.totals.cancelled)),
      h('td', {class: 'row-actions'}, cancel));
  }

  async function cancelRun(run, button) {
    button.disabled = true;
    button.textContent = 'Cancelling…';
    try {
      await postJson(`v1/synchronizations/${run.id}/cancel`);
      toast('Run cancelled.');
      announce('Run cancelled.');
      await refreshActive();
    } catch (e) {
      if (e.status === 401) return;
      toast(`Could not cancel: ${e.message}`, 'error');
      button.disabled = false;
      button.textContent = 'Cancel';
    }
  }

  // ---- starting a run: a split button ------------------------------------------------------------

  function renderActions() {
    clear(actions);
    if (!installation) return;
    if (installation.status !== 'active') {
      actions.append(h('p', {class: 'hint', id: 'start-hint'}, installation.status === 'configuration_required'
        ? 'Configure the installation below: it cannot synchronize until the App stores every step.'
        : `An installation that is ${installation.status.replaceAll('_', ' ')} cannot synchronize.`));
      return;
    }
    if (modes.length === 0) {
      actions.append(h('p', {class: 'hint'}, 'The App\'s manifest enables no synchronization.'));
      return;
    }
    const newest = [...runs.values()][0]?.run;
    const lastSnapshot = [...runs.values()].map(({run}) => run.snapshot_id).find(Boolean);
    const activeRun = [...runs.values()].find(({run}) => isActive(run));
    const options = [];
    for (const m of modes) {
      if (lastSnapshot) options.push({label: `${m.label} run, last snapshot`, mode: m.mode, snapshot: lastSnapshot});
      options.push({label: `${m.label} run, upload NDJSON…`, mode: m.mode, upload: true});
    }
    // A preview plans without sending anything; its page shows what the run would send, with Run and Discard.
    for (const m of modes) {
      if (lastSnapshot) options.push({label: `Preview ${m.mode} run, last snapshot`, mode: m.mode, snapshot: lastSnapshot, preview: true});
      options.push({label: `Preview ${m.mode} run, upload NDJSON…`, mode: m.mode, upload: true, preview: true});
    }
    const primary = options[0];
    const fileInput = h('input', {type: 'file', id: 'snapshot-file', accept: '.ndjson,.jsonl,.json,application/x-ndjson', class: 'visually-hidden', tabindex: '-1', 'aria-hidden': 'true'});
    let pending = null;
    fileInput.addEventListener('change', () => {
      const file = fileInput.files[0];
      fileInput.value = '';
      if (file && pending) upload(pending, file);
    });

    const primaryLabel = primary.upload ? `Start ${primary.mode} run from a file…` : `Re-run ${primary.mode} with last snapshot`;
    const mainButton = h('button', {type: 'button', class: 'button primary', id: 'start-run'}, primaryLabel);
    const toggle = h('button', {
      type: 'button', class: 'button primary split-toggle', id: 'start-run-menu-button',
      'aria-haspopup': 'menu', 'aria-expanded': 'false', 'aria-controls': 'start-run-menu', 'aria-label': 'More ways to start a run',
    }, h('span', {'aria-hidden': 'true', class: 'chevron'}));
    const menu = h('ul', {class: 'menu', id: 'start-run-menu', role: 'menu', 'aria-labelledby': 'start-run-menu-button', hidden: true},
      options.map((option) => h('li', {role: 'none'},
        h('button', {type: 'button', role: 'menuitem', tabindex: '-1', dataset: {mode: option.mode, source: option.upload ? 'upload' : 'last', preview: option.preview ? 'true' : false}, onclick: () => { closeMenu(true); choose(option); }}, option.label))));
    const busy = Boolean(activeRun);
    mainButton.disabled = busy;
    toggle.disabled = busy;

    function choose(option) {
      if (option.upload) {
        pending = option;
        fileInput.click();
      } else {
        start(option.mode, option.snapshot, option.preview);
      }
    }
    mainButton.addEventListener('click', () => choose(primary));

    const items = () => [...menu.querySelectorAll('[role=menuitem]')];
    function openMenu(focusLast = false) {
      menu.hidden = false;
      toggle.setAttribute('aria-expanded', 'true');
      (focusLast ? items().at(-1) : items()[0]).focus();
      document.addEventListener('pointerdown', outside, true);
    }
    function closeMenu(focusToggle) {
      menu.hidden = true;
      toggle.setAttribute('aria-expanded', 'false');
      document.removeEventListener('pointerdown', outside, true);
      if (focusToggle) toggle.focus();
    }
    function outside(event) {
      if (!split.contains(event.target)) closeMenu(false);
    }
    toggle.addEventListener('click', () => (menu.hidden ? openMenu() : closeMenu(true)));
    toggle.addEventListener('keydown', (event) => {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        openMenu(event.key === 'ArrowUp');
      }
    });
    menu.addEventListener('keydown', (event) => {
      const list = items();
      const index = list.indexOf(document.activeElement);
      const moves = {ArrowDown: index + 1, ArrowUp: index - 1, Home: 0, End: list.length - 1};
      if (event.key in moves) {
        event.preventDefault();
        list[(moves[event.key] + list.length) % list.length].focus();
      } else if (event.key === 'Escape') {
        event.preventDefault();
        closeMenu(true);
      } else if (event.key === 'Tab') {
        closeMenu(false);
      }
    });

    const split = h('div', {class: 'split-button'}, mainButton, toggle, menu);
    actions.append(split, fileInput);
    if (busy) {
      actions.append(h('p', {class: 'hint', id: 'start-hint'}, activeRun.run.dry_run
        ? ['A ', h('a', {href: `#/runs/${activeRun.run.id}`}, 'preview'), ' holds the installation: run it or discard it.']
        : 'A run is active: cancel it or wait for it to end.'));
    } else if (!newest) {
      actions.append(h('p', {class: 'hint', id: 'start-hint'}, 'The first run needs a snapshot file.'));
    }
  }

  async function upload(option, file) {
    if (file.size > INLINE_MAX_BYTES) {
      toast(`${file.name} is ${formatBytes(file.size)}; the dashboard uploads up to ${formatBytes(INLINE_MAX_BYTES)}. Upload larger snapshots through the upload URL of POST /v1/installations/{id}/snapshots.`, 'error');
      return;
    }
    announce(`Uploading ${file.name}…`);
    toast(`Uploading ${file.name}…`);
    try {
      const snapshot = await postNdjson(`v1/installations/${id}/snapshots`, await file.text());
      await start(option.mode, snapshot.snapshot_id, option.preview);
    } catch (e) {
      if (e.status !== 401) toast(`The snapshot was refused: ${e.message}`, 'error');
    }
  }

  async function start(mode, snapshotId, preview = false) {
    for (const button of actions.querySelectorAll('button')) button.disabled = true;
    try {
      if (preview) {
        const planned = await postJson(`v1/installations/${id}/plans`, {mode, snapshot_id: snapshotId});
        announce(`Planning the ${mode} preview.`);
        location.hash = `#/runs/${planned.synchronization.id}`;
        return;
      }
      const answer = await postJson(`v1/installations/${id}/synchronizations`, {mode, snapshot_id: snapshotId});
      toast(`The ${mode} run started.`);
      announce(`The ${mode} run started.`);
      const run = answer.synchronization;
      const row = runRow(run);
      runs.clear();
      cursor = null;
      await loadHistory({reset: true});
      if (!runs.has(run.id)) {
        runs.set(run.id, {run, row});
        body.prepend(row);
      }
      renderActions();
      live.start();
    } catch (e) {
      if (e.status === 401) return;
      toast(e instanceof ApiError && e.status === 409 ? e.message : `The run could not start: ${e.message}`, 'error');
      renderActions();
    }
  }

  load();
  return {dispose() { alive = false; live.stop(); }};
}
