// Shared by the signed-in pages: calling the API, building elements, the header with its
// navigation (only the pages the user may open) and signing out.
'use strict';

const IdB = (function () {
  const PAGES = [
    {path: '/app/authentication', label: 'Authentication', permission: 'configure-authentication'},
    {path: '/app/teams', label: 'Teams', permission: 'view-teams'},
    {path: '/app/users', label: 'Users', permission: 'view-users'},
    {path: '/app/events', label: 'Events', permission: 'view-events'},
    {path: '/app/applications', label: 'Applications', permission: 'configure-clients'}
  ];

  function signInAddress() {
    return '/app/sign-in?redirectAfterLoginTo=' + encodeURIComponent(location.pathname + location.search);
  }

  /**
   * Calls the JSON API. Resolves to {ok, status, data}; data is the parsed body or null.
   * State-changing calls carry the header the broker requires against cross-site requests.
   */
  async function api(path, options) {
    const method = (options && options.method) || 'GET';
    const headers = {Accept: 'application/json'};
    const init = {method, headers, credentials: 'same-origin'};
    if (method !== 'GET' && method !== 'HEAD') {
      headers['X-Requested-With'] = 'idbroker';
    }
    if (options && options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(options.body);
    }
    let response;
    try {
      response = await fetch(path, init);
    } catch (e) {
      return {ok: false, status: 0, data: {error: 'network', message: 'The broker did not answer. Check your connection and try again.'}};
    }
    if (response.status === 401 && !(options && options.allowUnauthenticated)) {
      location.href = signInAddress();
      return new Promise(() => {});
    }
    let data = null;
    const text = await response.text();
    if (text) {
      try {
        data = JSON.parse(text);
      } catch (e) {
        data = {error: 'unreadable', message: 'The broker answered something other than JSON (HTTP ' + response.status + ').'};
      }
    }
    return {ok: response.ok, status: response.status, data};
  }

  /** The text to show for a failed call. */
  function problem(result) {
    const data = result.data || {};
    return data.message || data.error || ('The broker refused (HTTP ' + result.status + ').');
  }

  /** Builds an element: el('a', {href: '/x', class: 'button'}, 'text', child, ...). */
  function el(tag, props, ...children) {
    const element = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value === undefined || value === null || value === false) {
        continue;
      }
      if (key === 'class') {
        element.className = value;
      } else if (key === 'text') {
        element.textContent = value;
      } else if (key.startsWith('on') && typeof value === 'function') {
        element.addEventListener(key.substring(2), value);
      } else if (key === 'dataset') {
        Object.assign(element.dataset, value);
      } else if (value === true) {
        element.setAttribute(key, '');
      } else {
        element.setAttribute(key, String(value));
      }
    }
    for (const child of children.flat()) {
      if (child === undefined || child === null || child === false) {
        continue;
      }
      element.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
    }
    return element;
  }

  function clear(element) {
    while (element.firstChild) {
      element.removeChild(element.firstChild);
    }
    return element;
  }

  /** Shows a message in a status element (a live region): kind is 'ok', 'error' or 'info'. */
  function say(element, text, kind) {
    element.textContent = text || '';
    element.className = 'status' + (kind ? ' status-' + kind : '');
    element.hidden = !text;
  }

  function formatTime(iso) {
    if (!iso) {
      return '';
    }
    const date = new Date(iso);
    return isNaN(date) ? String(iso) : date.toLocaleString();
  }

  /** Copies the text of an element to the clipboard, else selects it; says which in status. */
  async function copy(element, status) {
    try {
      await navigator.clipboard.writeText(element.textContent);
      status.textContent = 'Copied.';
    } catch (e) {
      const range = document.createRange();
      range.selectNodeContents(element);
      const selection = getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      status.textContent = document.execCommand('copy') ? 'Copied.' : 'Selected: press Ctrl+C to copy.';
    }
  }

  async function signOut() {
    const result = await api('/api/users/sign-out', {method: 'POST', allowUnauthenticated: true});
    const target = result.ok && result.data && result.data.redirectTo;
    location.href = target || '/app/sign-in';
  }

  function header(me) {
    const here = location.pathname.replace(/\/$/, '') || '/app';
    const link = (path, label) => el('li', {}, el('a', {href: path, 'aria-current': here === path ? 'page' : null}, label));
    const allowed = PAGES.filter(p => can(me, p.permission));
    const nav = el('nav', {'aria-label': 'Main'},
      el('ul', {class: 'nav'},
        link('/app', 'Home'),
        allowed.length === 0 ? null : el('li', {class: 'nav-group'},
          el('span', {class: 'nav-group-label', id: 'nav-configuration'}, 'Configuration'),
          el('ul', {'aria-labelledby': 'nav-configuration'}, allowed.map(p => link(p.path, p.label))))));
    return el('header', {class: 'top'},
      el('a', {class: 'brand', href: '/app/'}, 'IdBroker'),
      nav,
      el('div', {class: 'who'},
        el('span', {id: 'signed-in-as'}, me.displayName || me.username),
        el('button', {type: 'button', class: 'button secondary', id: 'sign-out', onclick: signOut}, 'Sign out')));
  }

  function can(me, permission) {
    return Array.isArray(me.permissions) && me.permissions.includes(permission);
  }

  /**
   * Starts a signed-in page: loads the user, draws the header, and runs render(me, main) when the
   * user holds the page's permission (else explains which one is missing).
   */
  async function start(permission, render) {
    const result = await api('/api/users/me');
    const top = document.getElementById('top');
    const main = document.getElementById('main');
    if (!result.ok) {
      say(document.getElementById('page-status') || main, problem(result), 'error');
      return;
    }
    const me = result.data;
    top.replaceWith(header(me));
    if (permission && !can(me, permission)) {
      clear(main).appendChild(el('p', {class: 'status status-error', id: 'forbidden'},
        'You need the \u2018' + permission + '\u2019 permission to open this page. Ask an administrator to add you to a team that grants it.'));
      return;
    }
    await render(me, main);
    document.body.dataset.ready = 'true';
  }

  return {api, problem, el, clear, say, formatTime, can, start, signOut, copy};
})();
