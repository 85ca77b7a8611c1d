// Installations: every installation, newest first, a page at a time, each with its last run. The operator's key
// also gets a tenant switcher (tenant_id filter); a tenant's key is answered 403 for the tenant list and sees its own.

import {h, clear, fill, badge, copyable, failure, announce} from './dom.js';
import {getJson, query} from './api.js';
import {formatAgo, formatTime} from './format.js';

const PAGE = 25;
/** Tenants the switcher lists, at most: pages of 100 followed this many times. */
const TENANT_PAGES = 10;

export function renderInstallations(main, parameters) {
  document.title = 'Installations · Syncline';
  const appFilter = parameters.get('app_id') || '';
  const tenantFilter = parameters.get('tenant_id') || '';
  let alive = true;
  let cursor = null;

  const body = h('tbody');
  const status = h('p', {class: 'table-status', role: 'status'});
  const more = h('button', {type: 'button', class: 'button', hidden: true}, 'Load more');
  const appInput = h('input', {id: 'app-filter', name: 'app_id', value: appFilter, placeholder: 'e.g. shop-export', autocomplete: 'off'});
  const tenantSelect = h('select', {id: 'tenant-filter', name: 'tenant_id'}, h('option', {value: ''}, 'All tenants'));
  const tenantField = h('div', {class: 'field', id: 'tenant-switcher', hidden: true},
    h('label', {for: 'tenant-filter'}, 'Tenant'), tenantSelect);
  const filter = h('form', {class: 'toolbar', role: 'search', 'aria-label': 'Installations'},
    tenantField,
    h('div', {class: 'field'}, h('label', {for: 'app-filter'}, 'App id'), appInput),
    h('button', {type: 'submit', class: 'button'}, 'Filter'),
    appFilter || tenantFilter ? h('a', {href: '#/', class: 'button ghost'}, 'Show all') : null);
  const applyFilters = () => {
    const filters = query({tenant_id: tenantSelect.value, app_id: appInput.value.trim()});
    location.hash = `#/${filters}`;
  };
  filter.addEventListener('submit', (event) => {
    event.preventDefault();
    applyFilters();
  });
  tenantSelect.addEventListener('change', applyFilters);

  main.append(
    h('div', {class: 'page-head'},
      h('h1', {}, 'Installations'),
      h('p', {class: 'lead'}, [
        appFilter ? `Installations of the App ${appFilter}, oldest first` : 'Every installation, newest first',
        tenantFilter ? `, of the tenant ${tenantFilter}.` : '.'].join(''))),
    filter,
    h('div', {class: 'table-wrap'},
      h('table', {class: 'data stack', id: 'installations'},
        h('caption', {class: 'visually-hidden'}, 'Installations'),
        h('thead', {}, h('tr', {},
          h('th', {scope: 'col'}, 'Installation'), h('th', {scope: 'col'}, 'App'), h('th', {scope: 'col'}, 'Status'),
          h('th', {scope: 'col'}, 'Last run'), h('th', {scope: 'col'}, 'Feed'))),
        body)),
    status,
    h('div', {class: 'pager'}, more));

  more.addEventListener('click', () => load());

  async function load() {
    more.disabled = true;
    status.textContent = 'Loading installations…';
    try {
      const page = appFilter
        ? await getJson(`v1/installations${query({app_id: appFilter, tenant_id: tenantFilter})}`)
        : await getJson(`v1/installations${query({limit: PAGE, cursor, tenant_id: tenantFilter})}`);
      if (!alive) return;
      for (const installation of page.installations) body.append(row(installation));
      cursor = page.next_cursor ?? null;
      more.hidden = !cursor;
      more.disabled = false;
      const shown = body.children.length;
      status.textContent = shown === 0
        ? 'No installations yet: install an App with POST /v1/installations.'
        : `${shown} installation${shown === 1 ? '' : 's'} shown${cursor ? '; more to load' : ''}.`;
      if (cursor === null && shown > PAGE) announce('All installations are shown.');
    } catch (e) {
      if (!alive || e.status === 401) return;
      status.textContent = '';
      fill(status, failure('The installations could not be loaded.', e));
      more.disabled = false;
    }
  }

  function row(installation) {
    const lastRun = h('td', {'data-label': 'Last run', class: 'last-run'}, h('span', {class: 'muted'}, '…'));
    const feed = installation.feed_url ? copyable(installation.feed_url, 'feed URL') : h('span', {class: 'muted'}, '—');
    const tr = h('tr', {dataset: {installation: installation.id}},
      h('th', {scope: 'row', 'data-label': 'Installation'},
        h('a', {href: `#/installations/${installation.id}`, class: 'strong-link'}, installation.name),
        h('div', {class: 'sub mono'}, installation.id)),
      h('td', {'data-label': 'App'}, installation.app_id, h('div', {class: 'sub'}, `version ${installation.app_version}`)),
      h('td', {'data-label': 'Status'}, badge(installation.status)),
      lastRun,
      h('td', {'data-label': 'Feed', class: 'feed'}, feed));
    getJson(`v1/installations/${installation.id}/synchronizations?limit=1`).then((history) => {
      if (!alive) return;
      const run = history.synchronizations[0];
      fill(lastRun, run
        ? h('a', {href: `#/runs/${run.id}`, class: 'run-link', title: formatTime(run.created_at)},
          badge(run.status), ' ', h('span', {class: 'sub'}, `${run.mode} · ${formatAgo(run.created_at)}`))
        : h('span', {class: 'muted'}, 'never run'));
    }).catch(() => alive && fill(lastRun, h('span', {class: 'muted'}, 'unavailable')));
    return tr;
  }

  // Only the operator may list tenants: a tenant's key is answered 403 and the switcher stays hidden.
  async function loadTenants() {
    let next = null;
    for (let page = 0; page < TENANT_PAGES; page++) {
      const tenants = await getJson(`v1/tenants${query({limit: 100, cursor: next})}`);
      if (!alive) return;
      for (const tenant of tenants.tenants) {
        const label = `${tenant.name} (${tenant.id})${tenant.status === 'disabled' ? ' · disabled' : ''}`;
        tenantSelect.append(h('option', {value: tenant.id, selected: tenant.id === tenantFilter}, label));
      }
      tenantField.hidden = false;
      next = tenants.next_cursor ?? null;
      if (!next) return;
    }
  }

  // data-checked tells that the question was answered, whichever way.
  loadTenants().catch(() => {}).finally(() => { tenantField.dataset.checked = 'true'; });
  load();
  return {dispose() { alive = false; }};
}
