// Sign-in: an API key of this deployment, checked once against the API, then kept in this tab only.

import {h} from './dom.js';
import {checkKey, rememberKey, ApiError} from './api.js';

export function renderSignIn(main, {message, onSignedIn}) {
  document.title = 'Sign in · Syncline';
  const error = h('p', {class: 'form-error', id: 'sign-in-error', role: 'alert'});
  const input = h('input', {
    id: 'api-key', name: 'api-key', type: 'password', autocomplete: 'off', spellcheck: 'false', required: true,
    'aria-describedby': 'api-key-hint sign-in-error',
  });
  const submit = h('button', {type: 'submit', class: 'button primary'}, 'Sign in');
  const form = h('form', {class: 'card sign-in', novalidate: true},
    h('h1', {}, 'Sign in'),
    message ? h('p', {class: 'notice'}, message) : null,
    h('label', {for: 'api-key'}, 'API key'),
    input,
    h('p', {class: 'hint', id: 'api-key-hint'}, 'One of this deployment\'s API keys. It is kept in this browser tab only and sent to the API as a Bearer token.'),
    error,
    submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const key = input.value.trim();
    if (!key) {
      error.textContent = 'Enter an API key.';
      input.focus();
      return;
    }
    submit.disabled = true;
    submit.textContent = 'Signing in…';
    error.textContent = '';
    try {
      await checkKey(key);
      rememberKey(key);
      onSignedIn();
    } catch (e) {
      error.textContent = e instanceof ApiError && e.status === 401
        ? 'This key is not one of this deployment\'s keys.'
        : `Could not reach the API: ${e.message}`;
      submit.disabled = false;
      submit.textContent = 'Sign in';
      input.focus();
    }
  });
  main.append(h('div', {class: 'sign-in-wrap'}, form));
  input.focus();
  return {dispose() {}};
}
