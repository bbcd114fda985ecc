// Configuration > Events: recent sign-ins and refusals with their reasons, filterable.
'use strict';

IdB.start('view-events', async (me) => {
  const {api, problem, el, clear, say, formatTime, can} = IdB;
  const PAGE = 50;
  const pageStatus = document.getElementById('page-status');
  const rows = document.getElementById('events').tBodies[0];
  let offset = 0;

  const value = (id) => document.getElementById(id).value.trim();
  const instant = (id) => {
    const text = value(id);
    const date = text ? new Date(text) : null;
    return date && !isNaN(date) ? date.toISOString() : '';
  };

  function query() {
    const params = new URLSearchParams();
    const add = (name, v) => {
      if (v) {
        params.set(name, v);
      }
    };
    add('type', value('filter-type'));
    add('outcome', value('filter-outcome'));
    add('providerId', value('filter-provider'));
    add('userId', value('filter-user'));
    add('clientAddress', value('filter-client'));
    add('userAgent', value('filter-agent'));
    add('requestId', value('filter-request'));
    add('from', instant('filter-from'));
    add('to', instant('filter-to'));
    return params;
  }

  async function load() {
    const params = query();
    history.replaceState(null, '', '/app/events' + (params.toString() ? '?' + params : ''));
    params.set('offset', String(offset));
    params.set('limit', String(PAGE + 1));
    const table = document.getElementById('events');
    table.setAttribute('aria-busy', 'true');
    const result = await api('/api/events?' + params);
    table.removeAttribute('aria-busy');
    clear(rows);
    if (!result.ok) {
      say(pageStatus, problem(result), 'error');
      return;
    }
    say(pageStatus, '');
    const events = Array.isArray(result.data) ? result.data : (result.data.events || result.data.items || []);
    const total = result.data && typeof result.data.total === 'number' ? result.data.total : null;
    document.getElementById('no-events').hidden = events.length > 0;
    document.getElementById('events').hidden = events.length === 0;
    for (const event of events.slice(0, PAGE)) {
      const failed = event.outcome !== 'success';
      const user = event.username || event.userDisplayName || event.userId || '';
      rows.appendChild(el('tr', {dataset: {outcome: event.outcome, type: event.type}},
        el('td', {class: 'nowrap'}, el('time', {datetime: event.at}, formatTime(event.at))),
        el('td', {class: 'nowrap'}, event.type),
        el('td', {}, el('span', {class: 'badge ' + (failed ? 'off' : 'on')}, event.outcome)),
        el('td', {class: 'wrap'}, event.reason ? el('code', {}, event.reason) : null, event.reason && event.message ? ' ' : null,
          event.message || ''),
        el('td', {class: 'wrap'}, event.userId && can(me, 'view-users')
          ? el('a', {href: '/app/users?user=' + encodeURIComponent(event.userId), dataset: {userId: event.userId}},
            names.get(event.userId) || user) : user),
        el('td', {}, event.providerId || ''),
        el('td', {class: 'nowrap'}, event.clientAddress || ''),
        el('td', {class: 'wrap'}, event.userAgent || ''),
        el('td', {}, event.requestId ? el('code', {}, event.requestId) : '')));
    }
    nameUsers(events.slice(0, PAGE));
    const more = total !== null ? offset + PAGE < total : events.length > PAGE;
    document.getElementById('newer').hidden = offset === 0;
    document.getElementById('older').hidden = !more;
  }

  const names = new Map();

  /** Replaces user ids by names, for those who may see users. */
  async function nameUsers(events) {
    if (!can(me, 'view-users')) {
      return;
    }
    const ids = [...new Set(events.map(e => e.userId).filter(id => id && !names.has(id)))];
    await Promise.all(ids.map(async (id) => {
      const result = await api('/api/users/' + encodeURIComponent(id));
      names.set(id, result.ok ? (result.data.displayName ? result.data.displayName + ' (' + result.data.username + ')'
        : result.data.username) : id);
    }));
    for (const link of rows.querySelectorAll('a[data-user-id]')) {
      link.textContent = names.get(link.dataset.userId) || link.textContent;
    }
  }

  const initial = new URLSearchParams(location.search);
  document.getElementById('filter-type').value = initial.get('type') || '';
  document.getElementById('filter-outcome').value = initial.get('outcome') || '';
  document.getElementById('filter-provider').value = initial.get('providerId') || '';
  document.getElementById('filter-user').value = initial.get('userId') || '';
  document.getElementById('filter-client').value = initial.get('clientAddress') || '';
  document.getElementById('filter-agent').value = initial.get('userAgent') || '';
  document.getElementById('filter-request').value = initial.get('requestId') || '';

  const form = document.getElementById('filters');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    offset = 0;
    load();
  });
  form.addEventListener('reset', () => {
    setTimeout(() => {
      offset = 0;
      load();
    }, 0);
  });
  document.getElementById('newer').addEventListener('click', () => {
    offset = Math.max(0, offset - PAGE);
    load();
  });
  document.getElementById('older').addEventListener('click', () => {
    offset += PAGE;
    load();
  });
  await load();
});
