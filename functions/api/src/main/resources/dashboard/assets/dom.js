// Builds DOM nodes without ever parsing data as HTML: every text goes through textContent.

import {statusLabel, statusTone} from './format.js';

/**
 * h('a', {href: '#/', class: 'link'}, 'text', child) -> element. Attributes starting with "on" become
 * listeners; `false`, `null` and `undefined` attributes and children are left out.
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (name === 'dataset') {
      Object.assign(element.dataset, value);
    } else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(element, children);
  return element;
}

export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

export function clear(element) {
  element.replaceChildren();
  return element;
}

/** Replaces an element's children; nested arrays of children are flattened. */
export function fill(element, ...children) {
  return append(clear(element), children);
}

/** Says `message` to screen readers through the page's polite live region. */
export function announce(message) {
  const region = document.getElementById('announcer');
  region.textContent = '';
  // A fresh text node after a tick makes repeated messages heard again.
  setTimeout(() => { region.textContent = message; }, 50);
}

/** A short-lived visible message, also read out (the toast region is a status live region). */
export function toast(message, kind = 'info') {
  const region = document.getElementById('toasts');
  const item = h('div', {class: `toast ${kind}`}, message);
  region.append(item);
  setTimeout(() => item.remove(), kind === 'error' ? 9000 : 4000);
}

/** A progress bar with its value for assistive technology and as visible text. */
export function progressBar(percent, label, {status = ''} = {}) {
  // Widths are set through the CSSOM: the page's content security policy refuses style attributes.
  const fill = h('div', {class: 'progress-fill'});
  fill.style.width = `${percent}%`;
  const bar = h('div', {
    class: `progress ${status}`, role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100,
    'aria-valuenow': percent, 'aria-label': label,
  }, fill);
  return h('div', {class: 'progress-row'}, bar, h('span', {class: 'progress-text'}, `${percent} %`));
}

export function updateProgressBar(row, percent, status = '') {
  const bar = row.querySelector('[role=progressbar]');
  bar.setAttribute('aria-valuenow', percent);
  bar.className = `progress ${status}`;
  bar.firstElementChild.style.width = `${percent}%`;
  row.querySelector('.progress-text').textContent = `${percent} %`;
}

/** A status as a coloured badge that also says it in words. */
export function badge(status) {
  return h('span', {class: `badge ${statusTone(status)}`, dataset: {status: status ?? ''}}, statusLabel(status));
}

/** A URL shown as text with a button that copies it. */
export function copyable(text, label) {
  const button = h('button', {type: 'button', class: 'button small', 'aria-label': `Copy ${label}`}, 'Copy');
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(text);
      toast(`${label} copied.`);
    } catch {
      // Without clipboard access (plain http, no permission) the text is selected for a manual copy.
      const range = document.createRange();
      range.selectNodeContents(value);
      getSelection().removeAllRanges();
      getSelection().addRange(range);
      toast('Copying is not allowed here: the text is selected, press Ctrl+C.', 'warn');
    }
  });
  const value = h('code', {class: 'url'}, text);
  return h('span', {class: 'copyable'}, value, button);
}

/** Runs `task` now and then every `everyMs` until stopped; a slow answer never overlaps the next call. */
export function poller(task, everyMs) {
  let timer = null;
  let stopped = false;
  const tick = async () => {
    if (stopped) return;
    try {
      await task();
    } catch (e) {
      if (e?.status === 401) return;
      console.warn('refresh failed', e);
    }
    if (!stopped) timer = setTimeout(tick, everyMs);
  };
  return {
    start() { stopped = false; if (timer === null) timer = setTimeout(tick, everyMs); },
    stop() { stopped = true; clearTimeout(timer); timer = null; },
  };
}

/** A message in place of content that could not load, with what the API said. */
export function failure(message, error) {
  return h('div', {class: 'notice error', role: 'alert'}, h('strong', {}, message), ' ', error?.message ?? '');
}
