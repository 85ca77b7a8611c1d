// An installation's configuration form, rendered from the App's steps (one JSON Schema each): the subset Apps
// use — strings, numbers, booleans, enums, objects, arrays of objects, "widget": "password", and selects or
// mappers filled from a "dictionary" — one form per step, with the refused fields shown where they are.

import {h, fill, failure, toast, announce} from './dom.js';
import {getJson, postJson, ApiError} from './api.js';

let uniqueId = 0;

/**
 * Renders the configuration of installation `id` into `section`; `onSaved(installation)` runs after a step was
 * stored (the installation's status may have changed). The section stays hidden for an App without steps.
 */
export function renderConfiguration(section, id, onSaved) {
  const dictionaries = new Map(); // dictionary name -> Promise of its entries
  const heading = h('h2', {id: 'configuration-heading'}, 'Configuration');
  section.setAttribute('aria-labelledby', 'configuration-heading');

  async function load() {
    let current;
    try {
      current = await getJson(`v1/installations/${id}/configuration`);
    } catch (e) {
      if (e.status === 401) return;
      section.hidden = false;
      fill(section, heading, failure('The configuration could not be loaded.', e));
      return;
    }
    if (current.steps === 0) {
      section.hidden = true;
      return;
    }
    section.hidden = false;
    const stored = current.configuration ?? [];
    const missing = current.configuration_schema.filter((_, index) => !stored[index]).length;
    fill(section, heading,
      h('p', {class: 'hint', id: 'configuration-summary'}, missing === 0
        ? 'The App stores every step. Saving a step again replaces it.'
        : `${missing} of ${current.steps} steps are not stored yet: the installation cannot synchronize until the App stores every step.`),
      current.configuration_schema.map((schema, index) => stepForm(schema, index, stored[index] ?? null, current.steps)));
  }

  function stepForm(schema, index, value, steps) {
    const title = schema.title ? `Step ${index + 1} of ${steps}: ${schema.title}` : `Step ${index + 1} of ${steps}`;
    const headingId = `step-${index}-heading`;
    const summary = h('div', {class: 'form-error', role: 'alert'});
    const save = h('button', {type: 'submit', class: 'button primary'}, 'Save step');
    const root = objectFields(schema, '', value ?? {});
    const form = h('form', {class: 'card config-step', novalidate: true, 'aria-labelledby': headingId, dataset: {step: index}},
      h('div', {class: 'title-row'}, h('h3', {id: headingId}, title),
        h('span', {class: `badge ${value ? 'ok' : 'warn'}`}, value ? 'Stored' : 'Not stored')),
      schema.description ? h('p', {class: 'hint'}, schema.description) : null,
      root.element, summary, save);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      clearErrors(form, summary);
      save.disabled = true;
      save.textContent = 'Saving…';
      try {
        const installation = await postJson(`v1/installations/${id}/configuration`, {index, configuration: root.read() ?? {}});
        toast(`Step ${index + 1} saved.`);
        announce(`Step ${index + 1} saved. The installation is ${installation.status.replaceAll('_', ' ')}.`);
        onSaved(installation);
        await load();
      } catch (e) {
        if (e.status === 401) return;
        showErrors(form, summary, e);
        save.disabled = false;
        save.textContent = 'Save step';
      }
    });
    return form;
  }

  // ---- fields: each returns {element, read()}; read() gives undefined for "leave it out" ------------

  function field(schema, name, path, value, required) {
    const label = schema.title ?? name;
    if (schema.type === 'object') {
      const inner = objectFields(schema, path, value ?? {});
      return {element: h('fieldset', {class: 'field-group', dataset: {path}}, h('legend', {}, label), inner.element, errorLine(path)), read: inner.read};
    }
    if (schema.type === 'array') return arrayField(schema, label, path, value ?? []);
    const inputId = `config-${++uniqueId}`;
    let input;
    let read;
    if (schema.type === 'boolean') {
      input = h('input', {id: inputId, type: 'checkbox', checked: value === true});
      read = () => input.checked;
      return wrap(path, h('div', {class: 'check'}, input, h('label', {for: inputId}, label)), schema, input);
    }
    if (schema.dictionary || schema.enum) {
      input = h('select', {id: inputId, required}, h('option', {value: ''}, required ? 'Choose…' : '(none)'));
      fillOptions(input, schema, value);
      read = () => (input.value === '' ? undefined : typed(schema, input.value));
    } else if (schema.type === 'number' || schema.type === 'integer') {
      input = h('input', {id: inputId, type: 'number', step: schema.type === 'integer' ? 1 : 'any', min: schema.minimum, max: schema.maximum, required, value: value ?? ''});
      read = () => (input.value === '' ? undefined : Number(input.value));
    } else if (schema.widget === 'password') {
      // A stored secret is never shown; left empty, the App keeps the one it has.
      input = h('input', {id: inputId, type: 'password', autocomplete: 'new-password', placeholder: 'Stored secrets are not shown; leave empty to keep'});
      read = () => (input.value === '' ? undefined : input.value);
    } else {
      input = h('input', {id: inputId, type: 'text', required, value: value ?? '', spellcheck: 'false'});
      read = () => (input.value === '' ? undefined : input.value);
    }
    return wrap(path, [h('label', {for: inputId}, label, required ? h('span', {class: 'required', 'aria-hidden': 'true'}, ' *') : null), input], schema, input, read);
  }

  function wrap(path, children, schema, input, read = () => input.checked) {
    const error = errorLine(path);
    const hint = schema.description ? h('p', {class: 'hint', id: `${error.id}-hint`}, schema.description) : null;
    input.setAttribute('aria-describedby', [hint?.id, error.id].filter(Boolean).join(' '));
    return {element: h('div', {class: 'field', dataset: {path}}, children, hint, error), read};
  }

  function errorLine(path) {
    return h('p', {class: 'field-error', id: `error-${++uniqueId}`, dataset: {errorFor: path}});
  }

  function objectFields(schema, path, value) {
    const required = new Set(schema.required ?? []);
    const fields = Object.entries(schema.properties ?? {}).map(([name, property]) => [name,
      field(property, name, path ? `${path}.${name}` : name, value?.[name], required.has(name))]);
    return {
      element: h('div', {class: 'fields'}, fields.map(([, f]) => f.element)),
      read() {
        const result = {};
        for (const [name, f] of fields) {
          const v = f.read();
          if (v !== undefined) result[name] = v;
        }
        return result;
      },
    };
  }

  // An array of objects is a list of rows (a mapper when its fields are dictionary selects); an array of
  // strings from an enum or a dictionary is a multiple select.
  function arrayField(schema, label, path, value) {
    const items = schema.items ?? {};
    if (items.type !== 'object') {
      const inputId = `config-${++uniqueId}`;
      const select = h('select', {id: inputId, multiple: true});
      fillOptions(select, items, value);
      const read = () => [...select.selectedOptions].map((option) => typed(items, option.value));
      return wrap(path, [h('label', {for: inputId}, label), select], schema, select, read);
    }
    const list = h('div', {class: 'rows'});
    let rows = [];
    const add = h('button', {type: 'button', class: 'button small'}, `Add ${items.title ?? 'row'}`);
    function render(values) {
      rows = values.map((item, i) => {
        const row = objectFields(items, `${path}[${i}]`, item);
        const remove = h('button', {type: 'button', class: 'button small danger', 'aria-label': `Remove row ${i + 1} of ${label}`}, 'Remove');
        remove.addEventListener('click', () => render(readRows().filter((_, j) => j !== i)));
        return {row, element: h('div', {class: 'row', dataset: {path: `${path}[${i}]`}}, row.element, remove)};
      });
      fill(list, rows.map((r) => r.element));
    }
    const readRows = () => rows.map((r) => r.row.read());
    add.addEventListener('click', () => render([...readRows(), {}]));
    render(Array.isArray(value) ? value : []);
    return {
      element: h('fieldset', {class: 'field-group', dataset: {path}}, h('legend', {}, label), list, add, errorLine(path)),
      read: readRows,
    };
  }

  function fillOptions(select, schema, value) {
    const chosen = new Set([value].flat().filter((v) => v !== undefined && v !== null).map(String));
    const addOption = (id, text) => select.append(h('option', {value: id, selected: chosen.has(String(id))}, text));
    if (schema.enum) {
      schema.enum.forEach((option) => addOption(option, option));
      return;
    }
    select.disabled = true;
    dictionary(schema.dictionary).then((entries) => {
      entries.forEach((entry) => addOption(entry.id, entry.label));
      // A stored value the dictionary no longer lists stays choosable rather than silently dropped.
      for (const id of chosen) {
        if (!entries.some((entry) => String(entry.id) === id)) addOption(id, `${id} (not listed)`);
      }
      select.disabled = false;
    }).catch((e) => {
      for (const id of chosen) addOption(id, id);
      select.disabled = false;
      select.after(h('p', {class: 'hint'}, `The list ${schema.dictionary} could not be loaded: ${e.message}`));
    });
  }

  function dictionary(reference) {
    if (!dictionaries.has(reference)) {
      const [name, search = ''] = reference.split('?');
      const path = `v1/installations/${id}/dictionaries/${encodeURIComponent(name).replaceAll('%3A', ':')}${search ? `?${search}` : ''}`;
      dictionaries.set(reference, getJson(path).then((answer) => answer.dictionary ?? []));
    }
    return dictionaries.get(reference);
  }

  load();
  return {reload: load};
}

function typed(schema, text) {
  return schema.type === 'number' || schema.type === 'integer' ? Number(text) : text;
}

function clearErrors(form, summary) {
  summary.textContent = '';
  for (const line of form.querySelectorAll('.field-error')) line.textContent = '';
  for (const input of form.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
}

// Each violation goes to the field its propertyPath names (or the nearest enclosing one); the rest, and any
// other failure, to the form's summary.
function showErrors(form, summary, error) {
  const violations = error instanceof ApiError ? error.problem?.violations ?? [] : [];
  const unplaced = [];
  let first = null;
  for (const violation of violations) {
    const path = violation.propertyPath ?? violation.field ?? '';
    const line = errorLineFor(form, path);
    if (!line) {
      unplaced.push(path ? `${path}: ${violation.title ?? violation.message}` : violation.title ?? violation.message);
      continue;
    }
    line.textContent = [line.textContent, violation.title ?? violation.message].filter(Boolean).join(' ');
    const input = line.closest('.field, .field-group')?.querySelector('input, select');
    input?.setAttribute('aria-invalid', 'true');
    first ??= input;
  }
  const who = error.problem?.refused_by === 'app' ? 'The App refused this step.' : error.problem?.refused_by === 'schema' ? 'This step breaks the App\'s rules.' : null;
  summary.textContent = [who ?? (violations.length ? null : error.message), ...unplaced].filter(Boolean).join(' ');
  announce(summary.textContent || 'The step was refused: see the fields.');
  first?.focus();
}

function errorLineFor(form, path) {
  let current = path;
  while (current) {
    const line = [...form.querySelectorAll('.field-error')].find((element) => element.dataset.errorFor === current);
    if (line) return line;
    current = current.includes('.') || current.includes('[') ? current.replace(/(\.[^.[\]]+|\[\d+\])$/, '') : '';
  }
  return null;
}
