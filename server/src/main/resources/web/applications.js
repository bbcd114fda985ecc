// Configuration > Applications: the clients that sign people in through the broker, their redirect
// URIs, who may use them, and their secrets (shown once, at creation and rotation).
'use strict';

IdB.start('configure-clients', async (me) => {
  const {api, problem, el, clear, say, can} = IdB;
  const pageStatus = document.getElementById('page-status');
  const editorStatus = document.getElementById('editor-status');
  const list = document.getElementById('client-list');
  const form = document.getElementById('client-form');
  let teams = null; // null: the caller may not list teams
  let current = null; // the client shown, or {isNew: true}

  // which field each refusal code of the API concerns
  const FIELDS = {
    invalid_clientId: 'client-id', client_exists: 'client-id', invalid_name: 'client-name', invalid_type: 'client-type',
    invalid_redirectUris: 'redirect-uris', invalid_postLogoutRedirectUris: 'post-logout-uris',
    invalid_backchannelLogoutUri: 'backchannel-uri', invalid_grantTypes: 'grant-types', invalid_teams: 'teams',
    invalid_groupsClaim: 'groups-claim', invalid_signingAlgorithm: 'signing-algorithm', invalid_overlap: 'overlap-minutes'
  };
  const URI_LISTS = ['redirect-uris', 'post-logout-uris'];

  function fieldError(id, message) {
    const error = document.getElementById(id + '-error');
    error.textContent = message || '';
    error.hidden = !message;
    const target = document.getElementById(id);
    if (target.tagName === 'FIELDSET') {
      target.classList.toggle('invalid', Boolean(message));
    } else if (message) {
      target.setAttribute('aria-invalid', 'true');
    } else {
      target.removeAttribute('aria-invalid');
    }
  }

  function clearErrors() {
    for (const id of new Set(Object.values(FIELDS))) {
      fieldError(id, '');
    }
    for (const input of document.querySelectorAll('.uri-list input')) {
      input.removeAttribute('aria-invalid');
    }
  }

  /** Shows a refusal at its field; in a URI list, also marks the URI the message quotes. */
  function refusal(result, status) {
    const data = result.data || {};
    const id = FIELDS[data.error];
    if (!id) {
      say(status, problem(result), 'error');
      return;
    }
    fieldError(id, problem(result));
    let focus = document.getElementById(id);
    if (URI_LISTS.includes(id)) {
      const inputs = [...document.querySelectorAll('[data-list="' + id + '"] input')];
      const bad = inputs.find(i => i.value.trim() && String(data.message).includes("'" + i.value.trim() + "'"))
        || inputs.find(i => !i.value.trim()) || inputs[0];
      if (bad) {
        bad.setAttribute('aria-invalid', 'true');
        focus = bad;
      }
    }
    if (focus.tagName === 'FIELDSET') {
      focus = focus.querySelector('input') || focus;
    }
    focus.focus();
    say(status, 'Not saved: ' + problem(result), 'error');
  }

  function addUri(listId, value) {
    const box = document.querySelector('[data-list="' + listId + '"]');
    const index = Number(box.dataset.next || 0);
    box.dataset.next = String(index + 1);
    const inputId = listId + '-' + index;
    const label = (listId === 'redirect-uris' ? 'Redirect URI ' : 'Post-logout redirect URI ') + (index + 1);
    const input = el('input', {type: 'url', id: inputId, autocomplete: 'off', 'aria-label': label});
    input.value = value || '';
    const row = el('div', {class: 'uri-row'}, input,
      el('button', {type: 'button', class: 'button small danger', 'aria-label': 'Remove ' + label,
        onclick: () => row.remove()}, 'Remove'));
    box.appendChild(row);
    return input;
  }

  function urisOf(listId) {
    return [...document.querySelectorAll('[data-list="' + listId + '"] input')].map(i => i.value.trim()).filter(Boolean);
  }

  function renderTeams(client) {
    const box = clear(document.getElementById('team-choices'));
    document.getElementById('teams-unreadable').hidden = teams !== null;
    const chosen = (client.teams || []).map(t => t.id);
    for (const team of teams || []) {
      const id = 'team-' + team.id;
      box.appendChild(el('div', {class: 'field checkbox'},
        el('input', {type: 'checkbox', id, checked: chosen.includes(team.id), dataset: {team: team.name}}),
        el('label', {for: id}, team.name)));
    }
  }

  function teamsChosen() {
    if (teams === null) {
      return (current.teams || []).map(t => t.name);
    }
    return [...document.querySelectorAll('#team-choices input:checked')].map(i => i.dataset.team);
  }

  function showSecret(secret) {
    document.getElementById('client-secret').textContent = secret || '';
    document.getElementById('copy-secret-status').textContent = '';
    document.getElementById('secret-box').hidden = !secret;
  }

  function render(client) {
    current = client;
    const isNew = Boolean(client.isNew);
    document.getElementById('editor').hidden = false;
    document.getElementById('editor-title').textContent = isNew ? 'Register an application' : client.name;
    clearErrors();
    say(editorStatus, '');
    const idInput = document.getElementById('client-id');
    idInput.value = client.clientId || '';
    idInput.readOnly = !isNew;
    document.getElementById('client-name').value = client.name || '';
    const type = document.getElementById('client-type');
    type.value = client.type || 'confidential';
    type.disabled = !isNew;
    for (const listId of URI_LISTS) {
      delete clear(document.querySelector('[data-list="' + listId + '"]')).dataset.next;
    }
    const redirects = client.redirectUris || [];
    (redirects.length ? redirects : ['']).forEach(u => addUri('redirect-uris', u));
    (client.postLogoutRedirectUris || []).forEach(u => addUri('post-logout-uris', u));
    document.getElementById('backchannel-uri').value = client.backchannelLogoutUri || '';
    const grants = client.grantTypes || ['authorization_code', 'refresh_token'];
    for (const box of document.querySelectorAll('[data-grant]')) {
      box.checked = grants.includes(box.dataset.grant);
    }
    renderTeams(client);
    document.getElementById('groups-claim').value = client.groupsClaim || 'teams';
    document.getElementById('signing-algorithm').value = client.signingAlgorithm || 'RS256';
    document.getElementById('delete-client').hidden = isNew;
    document.getElementById('save').textContent = isNew ? 'Register' : 'Save';
    document.getElementById('rotate').hidden = isNew || client.type !== 'confidential';
    fieldError('overlap-minutes', '');
    for (const button of list.querySelectorAll('button[data-client]')) {
      button.setAttribute('aria-current', button.dataset.client === client.clientId ? 'true' : 'false');
    }
  }

  async function loadList() {
    const result = await api('/api/clients');
    if (!result.ok) {
      say(pageStatus, problem(result), 'error');
      return [];
    }
    clear(list);
    document.getElementById('no-client').hidden = result.data.length > 0;
    for (const client of result.data) {
      list.appendChild(el('li', {},
        el('button', {type: 'button', class: 'list-button', dataset: {client: client.clientId},
            'aria-current': current && current.clientId === client.clientId ? 'true' : null,
            onclick: () => open(client.clientId)},
          client.name, ' ', el('span', {class: 'muted'}, '(' + client.clientId + ', ' + client.type + ')'))));
    }
    return result.data;
  }

  async function open(clientId) {
    const result = await api('/api/clients/' + encodeURIComponent(clientId));
    if (!result.ok) {
      say(pageStatus, problem(result), 'error');
      return;
    }
    showSecret(null);
    history.replaceState(null, '', '/app/applications?client=' + encodeURIComponent(clientId));
    render(result.data);
    document.getElementById('editor-title').focus();
  }

  function body() {
    return {
      clientId: document.getElementById('client-id').value.trim(),
      name: document.getElementById('client-name').value.trim(),
      type: document.getElementById('client-type').value,
      redirectUris: urisOf('redirect-uris'),
      postLogoutRedirectUris: urisOf('post-logout-uris'),
      backchannelLogoutUri: document.getElementById('backchannel-uri').value.trim() || null,
      grantTypes: [...document.querySelectorAll('[data-grant]:checked')].map(b => b.dataset.grant),
      teams: teamsChosen(),
      groupsClaim: document.getElementById('groups-claim').value,
      signingAlgorithm: document.getElementById('signing-algorithm').value,
      // a change keeps the lifetimes set with the command line or the API
      accessTokenSeconds: current.accessTokenSeconds,
      idTokenSeconds: current.idTokenSeconds,
      refreshTokenSeconds: current.refreshTokenSeconds
    };
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors();
    const input = body();
    if (current.isNew && !input.clientId) {
      fieldError('client-id', 'Give the application a client ID.');
      document.getElementById('client-id').focus();
      return;
    }
    const result = current.isNew
      ? await api('/api/clients', {method: 'POST', body: input})
      : await api('/api/clients/' + encodeURIComponent(current.clientId), {method: 'PUT', body: input});
    if (!result.ok) {
      refusal(result, editorStatus);
      return;
    }
    const saved = current.isNew ? result.data.client : result.data;
    const message = current.isNew ? 'Registered ' + saved.name + '.' : 'Saved.';
    current = saved;
    await loadList();
    history.replaceState(null, '', '/app/applications?client=' + encodeURIComponent(saved.clientId));
    render(saved);
    showSecret(result.data.clientSecret);
    say(editorStatus, message, 'ok');
    if (result.data.clientSecret) {
      document.getElementById('copy-secret').focus();
    }
  });

  document.getElementById('new-client').addEventListener('click', () => {
    showSecret(null);
    history.replaceState(null, '', '/app/applications');
    render({isNew: true});
    document.getElementById('client-id').focus();
  });

  document.getElementById('delete-client').addEventListener('click', async () => {
    if (!confirm('Delete the application ' + current.name + '? Its secrets and tokens stop working at once.')) {
      return;
    }
    const result = await api('/api/clients/' + encodeURIComponent(current.clientId), {method: 'DELETE'});
    if (!result.ok) {
      say(editorStatus, problem(result), 'error');
      return;
    }
    const name = current.name;
    current = null;
    document.getElementById('editor').hidden = true;
    history.replaceState(null, '', '/app/applications');
    await loadList();
    say(pageStatus, 'Deleted the application ' + name + '.', 'ok');
  });

  document.getElementById('rotate-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    fieldError('overlap-minutes', '');
    const minutes = Number(document.getElementById('overlap-minutes').value);
    if (!Number.isInteger(minutes) || minutes < 0) {
      fieldError('overlap-minutes', 'Give a whole number of minutes, 0 or more.');
      return;
    }
    const result = await api('/api/clients/' + encodeURIComponent(current.clientId) + '/secret',
      {method: 'POST', body: {overlapMinutes: minutes}});
    if (!result.ok) {
      refusal(result, editorStatus);
      return;
    }
    showSecret(result.data.clientSecret);
    say(editorStatus, minutes > 0 ? 'A new secret; the old one keeps working for ' + minutes + ' minutes.'
      : 'A new secret; the old one no longer works.', 'ok');
    document.getElementById('copy-secret').focus();
  });

  document.getElementById('secret-stored').addEventListener('click', () => showSecret(null));

  for (const button of document.querySelectorAll('[data-add]')) {
    button.addEventListener('click', () => addUri(button.dataset.add, '').focus());
  }

  for (const button of document.querySelectorAll('[data-copy]')) {
    button.addEventListener('click', () => IdB.copy(document.getElementById(button.dataset.copy),
      document.getElementById(button.id + '-status')));
  }

  const discovery = await api('/.well-known/openid-configuration');
  document.getElementById('discovery-url').textContent = discovery.ok
    ? discovery.data.issuer.replace(/\/$/, '') + '/.well-known/openid-configuration'
    : location.origin + '/.well-known/openid-configuration';

  if (can(me, 'view-teams')) {
    const teamsResult = await api('/api/teams');
    teams = teamsResult.ok ? (Array.isArray(teamsResult.data) ? teamsResult.data : teamsResult.data.teams || []) : null;
  }
  const clients = await loadList();
  const wanted = new URLSearchParams(location.search).get('client');
  if (wanted && clients.some(c => c.clientId === wanted)) {
    await open(wanted);
  }
});
