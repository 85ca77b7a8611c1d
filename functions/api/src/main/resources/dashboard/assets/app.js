// The dashboard's entry point: a hash router (#/, #/installations/<id>, #/runs/<id>) that needs no server
// routes, and the sign-in gate: without a key in this tab, every route shows sign-in.

import {clear} from './dom.js';
import {apiKey, forgetKey} from './api.js';
import {renderSignIn} from './signin.js';
import {renderInstallations} from './installations.js';
import {renderInstallation} from './installation.js';
import {renderRun} from './run.js';

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const signOut = document.getElementById('sign-out');

let page = null;
let signInMessage = '';
let firstRender = true;

function route() {
  page?.dispose?.();
  page = null;
  clear(main);
  const signedIn = Boolean(apiKey());
  nav.hidden = !signedIn;
  signOut.hidden = !signedIn;
  if (!signedIn) {
    page = renderSignIn(main, {message: signInMessage, onSignedIn: () => { signInMessage = ''; route(); }});
    return;
  }
  const [path, search = ''] = location.hash.replace(/^#/, '').split('?');
  const parameters = new URLSearchParams(search);
  let match;
  if ((match = /^\/installations\/([0-9a-fA-F-]{36})$/.exec(path))) {
    page = renderInstallation(main, match[1]);
  } else if ((match = /^\/runs\/([0-9a-fA-F-]{36})$/.exec(path))) {
    page = renderRun(main, match[1], parameters);
  } else {
    page = renderInstallations(main, parameters);
  }
  for (const link of nav.querySelectorAll('a')) {
    link.toggleAttribute('aria-current', link.getAttribute('href') === `#${path || '/'}`);
  }
  // After a navigation, start reading at the new page, as a full page load would.
  if (!firstRender) main.focus({preventScroll: true});
  firstRender = false;
  window.scrollTo(0, 0);
}

signOut.addEventListener('click', () => {
  forgetKey();
  signInMessage = 'Signed out.';
  route();
});

window.addEventListener('syncline:unauthorized', () => {
  signInMessage = 'The API refused the key (401). Sign in again.';
  route();
});

window.addEventListener('hashchange', route);
route();
