// Configuration > Users: list and search users, see one with their identities and teams, disable or enable.
'use strict';

IdB.start('view-users', async (me) => {
  const {api, problem, el, clear, say, can} = IdB;
  const editable = can(me, 'edit-users');
  const PAGE = 25;
  const pageStatus = document.getElementById('page-status');
  const userStatus = document.getElementById('user-status');
  const list = document.getElementById('user-list');
  let offset = 0;
  let current = null;

  const itemsOf = (data, key) => Array.isArray(data) ? data : ((data && (data[key] || data.items)) || []);
  const nameOf = (user) => user.displayName ? user.displayName + ' (' + user.username + ')' : user.username;

  async function search() {
    const query = document.getElementById('search').value.trim();
    list.setAttribute('aria-busy', 'true');
    const result = await api('/api/users?search=' + encodeURIComponent(query) + '&offset=' + offset + '&limit=' + (PAGE + 1));
    list.removeAttribute('aria-busy');
    if (!result.ok) {
      say(pageStatus, problem(result), 'error');
      return;
    }
    const users = itemsOf(result.data, 'users');
    const total = result.data && typeof result.data.total === 'number' ? result.data.total : null;
    const more = total !== null ? offset + PAGE < total : users.length > PAGE;
    clear(list);
    if (users.length === 0) {
      list.appendChild(el('li', {class: 'muted'}, query ? 'No user matches \u2018' + query + '\u2019.' : 'No user yet.'));
    }
    for (const user of users.slice(0, PAGE)) {
      list.appendChild(el('li', {},
        el('button', {type: 'button', class: 'list-button', dataset: {user: user.id, username: user.username},
            'aria-current': current && current.id === user.id ? 'true' : null, onclick: () => open(user.id, true)},
          nameOf(user), user.active === false ? [' ', el('span', {class: 'badge off'}, 'disabled')] : null,
          user.emailAddress ? el('span', {class: 'muted'}, ' ' + user.emailAddress) : null)));
    }
    document.getElementById('previous').hidden = offset === 0;
    document.getElementById('next').hidden = !more;
  }

  async function open(id, focus) {
    const [userResult, identitiesResult] = await Promise.all([
      api('/api/users/' + encodeURIComponent(id)),
      api('/api/users/' + encodeURIComponent(id) + '/external-identities')]);
    if (!userResult.ok) {
      say(pageStatus, problem(userResult), 'error');
      return;
    }
    current = userResult.data;
    const identities = identitiesResult.ok ? itemsOf(identitiesResult.data, 'externalIdentities')
      : (current.externalIdentities || []);
    history.replaceState(null, '', '/app/users?user=' + encodeURIComponent(current.id));
    render(identities);
    if (focus) {
      document.getElementById('user-title').focus();
    }
  }

  function render(identities) {
    const user = current;
    document.getElementById('user').hidden = false;
    say(userStatus, '');
    document.getElementById('user-title').textContent = user.displayName || user.username;
    document.getElementById('user-username').textContent = user.username;
    document.getElementById('user-email').textContent = user.emailAddress || '(none)';
    const active = user.active !== false;
    const badge = document.getElementById('user-active');
    badge.textContent = active ? 'active' : 'disabled';
    badge.className = 'badge ' + (active ? 'on' : 'off');
    const toggle = document.getElementById('toggle-active');
    toggle.hidden = !editable || user.id === me.id;
    toggle.textContent = active ? 'Disable' : 'Enable';
    toggle.className = 'button ' + (active ? 'danger' : 'secondary');
    for (const button of list.querySelectorAll('button[data-user]')) {
      if (button.dataset.user === user.id) {
        button.setAttribute('aria-current', 'true');
      } else {
        button.removeAttribute('aria-current');
      }
    }
    const teams = clear(document.getElementById('user-teams'));
    for (const team of user.teams || []) {
      teams.appendChild(el('li', {}, can(me, 'view-teams')
        ? el('a', {href: '/app/teams?team=' + encodeURIComponent(team.id)}, team.name) : team.name));
    }
    document.getElementById('user-no-teams').hidden = (user.teams || []).length > 0;
    const groups = clear(document.getElementById('user-groups'));
    for (const group of user.externalGroups || []) {
      groups.appendChild(el('li', {}, group));
    }
    document.getElementById('user-no-groups').hidden = (user.externalGroups || []).length > 0;
    const rows = clear(document.getElementById('user-identities').tBodies[0]);
    for (const identity of identities) {
      rows.appendChild(el('tr', {},
        el('td', {}, identity.providerId || ''),
        el('td', {class: 'wrap'}, identity.issuer || ''),
        el('td', {class: 'wrap'}, identity.subject || ''),
        el('td', {}, identity.emailAddress || identity.email || '')));
    }
    document.getElementById('user-identities').hidden = identities.length === 0;
    document.getElementById('user-no-identities').hidden = identities.length > 0;
  }

  document.getElementById('toggle-active').addEventListener('click', async () => {
    const user = current;
    const activate = user.active === false;
    if (!activate && !confirm('Disable ' + nameOf(user) + '? They are signed out and can no longer sign in.')) {
      return;
    }
    const result = await api('/api/users/' + encodeURIComponent(user.id), {method: 'PUT',
      body: {active: activate}});
    if (!result.ok) {
      say(userStatus, problem(result), 'error');
      return;
    }
    await open(user.id, false);
    await search();
    say(userStatus, (activate ? 'Enabled ' : 'Disabled ') + nameOf(user) + '.', 'ok');
  });
  const createForm = document.getElementById('create-user');
  const createFields = {username: 'new-username', displayName: 'new-display-name', emailAddress: 'new-email',
    email: 'new-email'};
  createForm.hidden = !editable;
  createForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    for (const id of Object.values(createFields)) {
      document.getElementById(id + '-error').hidden = true;
      document.getElementById(id).removeAttribute('aria-invalid');
    }
    const body = {
      username: document.getElementById('new-username').value.trim(),
      displayName: document.getElementById('new-display-name').value.trim() || null,
      emailAddress: document.getElementById('new-email').value.trim() || null
    };
    const result = await api('/api/users', {method: 'POST', body});
    if (!result.ok) {
      // the error code names the field: "username", "username_taken", "email_taken", ...
      const parts = String((result.data && result.data.error) || '').split('_');
      const name = Object.keys(createFields).find(n => result.data && (result.data.error === n || parts.includes(n)));
      if (name) {
        const error = document.getElementById(createFields[name] + '-error');
        error.textContent = problem(result);
        error.hidden = false;
        document.getElementById(createFields[name]).setAttribute('aria-invalid', 'true');
        document.getElementById(createFields[name]).focus();
      } else {
        say(pageStatus, problem(result), 'error');
      }
      return;
    }
    createForm.reset();
    await search();
    await open(result.data.id, true);
    say(userStatus, 'Created ' + nameOf(result.data) + '.', 'ok');
  });
  document.getElementById('search-form').addEventListener('submit', (event) => {
    event.preventDefault();
    offset = 0;
    search();
  });
  document.getElementById('previous').addEventListener('click', () => {
    offset = Math.max(0, offset - PAGE);
    search();
  });
  document.getElementById('next').addEventListener('click', () => {
    offset += PAGE;
    search();
  });

  await search();
  const wanted = new URLSearchParams(location.search).get('user');
  if (wanted) {
    await open(wanted, false);
  }
});
