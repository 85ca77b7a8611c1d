// The dashboard's only way to the API: relative URLs (so a stage prefix on API Gateway is kept), the API key
// from this tab's sessionStorage as a Bearer token, problems turned into ApiError, 401 back to sign-in.

const KEY = 'syncline.apiKey';

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `The API answered ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

export function apiKey() {
  return sessionStorage.getItem(KEY);
}

export function rememberKey(key) {
  sessionStorage.setItem(KEY, key);
}

export function forgetKey() {
  sessionStorage.removeItem(KEY);
}

/** A path of the API ("/v1/..." or "v1/...") resolved against the page, which is served at the API's root. */
export function apiUrl(path) {
  return new URL(path.replace(/^\/+/, ''), document.baseURI);
}

async function send(path, {method = 'GET', body, contentType, key = apiKey(), signal, signingIn = false} = {}) {
  const headers = {Accept: 'application/json'};
  if (key) headers.Authorization = `Bearer ${key}`;
  if (contentType) headers['Content-Type'] = contentType;
  const response = await fetch(apiUrl(path), {method, headers, body, signal, cache: 'no-store'});
  if (response.status === 401 && !signingIn) {
    forgetKey();
    window.dispatchEvent(new CustomEvent('syncline:unauthorized'));
    throw new ApiError(401, await problem(response));
  }
  if (!response.ok) {
    throw new ApiError(response.status, await problem(response));
  }
  return response;
}

async function problem(response) {
  try {
    return await response.json();
  } catch {
    return null;
  }
}

export async function getJson(path, options) {
  return (await send(path, options)).json();
}

export async function postJson(path, value) {
  return (await send(path, {method: 'POST', body: JSON.stringify(value ?? {}), contentType: 'application/json'})).json();
}

export async function postNdjson(path, text) {
  return (await send(path, {method: 'POST', body: text, contentType: 'application/x-ndjson'})).json();
}

/** Checks a key before keeping it: one cheap authenticated read. */
export async function checkKey(key) {
  await send('v1/installations?limit=1', {key, signingIn: true});
}

export function query(parameters) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters)) {
    if (value !== undefined && value !== null && value !== '') search.set(name, value);
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/**
 * Downloads a file the API serves behind the key: a link cannot carry the Authorization header, so the file is
 * fetched and handed to the browser as a blob; an answer that is JSON naming a URL (a presigned one) is followed.
 */
export async function download(path, fallbackName) {
  const response = await send(path, {});
  const type = response.headers.get('Content-Type') || '';
  if (type.startsWith('application/json')) {
    const body = await response.json();
    const url = body.download_url || body.url;
    if (url) {
      window.location.assign(url);
      return;
    }
  }
  const name = fileName(response.headers.get('Content-Disposition')) || fallbackName;
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function fileName(disposition) {
  const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition || '');
  return match ? decodeURIComponent(match[1]) : null;
}
