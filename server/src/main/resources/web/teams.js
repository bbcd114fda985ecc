// Configuration > Teams: the teams, their members, external groups/roles and roles.
'use strict';

IdB.start('view-teams', async (me) => {
  const {api, problem, el, clear, say, can} = IdB;
  const editable = can(me, 'edit-teams');
  const canSearchUsers = can(me, 'view-users');
  const pageStatus = document.getElementById('page-status');
  const teamStatus = document.getElementById('team-status');
  const list = document.getElementById('team-list');
  let roles = [];
  let current = null;

  const itemsOf = (data, key) => Array.isArray(data) ? data : ((data && (data[key] || data.items)) || []);
  const teamPath = (suffix) => '/api/teams/' + encodeURIComponent(current.id) + (suffix || '');

  function fieldError(id, message) {
    const error = document.getElementById(id + '-error');
    const input = document.getElementById(id);
    error.textContent = message || '';
    error.hidden = !message;
    if (message) {
      input.setAttribute('aria-invalid', 'true');
      input.focus();
    } else {
      input.removeAttribute('aria-invalid');
    }
  }

  /**
   * Puts a refusal's message next to the field it concerns (the error code names the field, as in
   * "name" or "team_name_taken"), else into the status line.
   */
  function refusal(result, fieldsByName, status) {
    const data = result.data || {};
    const parts = String(data.error || '').split('_');
    for (const [name, id] of Object.entries(fieldsByName)) {
      if (data.error === name || parts.includes(name)) {
        fieldError(id, problem(result));
        return;
      }
    }
    say(status, problem(result), 'error');
  }

  async function loadList() {
    const result = await api('/api/teams');
    if (!result.ok) {
      say(pageStatus, problem(result), 'error');
      return [];
    }
    const teams = itemsOf(result.data, 'teams');
    clear(list);
    for (const team of teams) {
      list.appendChild(el('li', {},
        el('button', {type: 'button', class: 'list-button', dataset: {team: team.id},
            'aria-current': current && current.id === team.id ? 'true' : null, onclick: () => open(team.id, true)},
          team.name, team.builtin ? el('span', {class: 'muted'}, ' (built in)') : null)));
    }
    return teams;
  }

  async function open(id, focus) {
    const result = await api('/api/teams/' + encodeURIComponent(id));
    if (!result.ok) {
      say(pageStatus, problem(result), 'error');
      return;
    }
    current = result.data;
    history.replaceState(null, '', '/app/teams?team=' + encodeURIComponent(current.id));
    render();
    if (focus) {
      document.getElementById('team-title').focus();
    }
  }

  async function reload(message) {
    await open(current.id, false);
    await loadList();
    if (message) {
      say(teamStatus, message, 'ok');
    }
  }

  function render() {
    const team = current;
    document.getElementById('team').hidden = false;
    document.getElementById('team-title').textContent = team.name;
    document.getElementById('team-description').textContent = team.description || '';
    say(teamStatus, '');
    for (const button of list.querySelectorAll('button[data-team]')) {
      if (button.dataset.team === team.id) {
        button.setAttribute('aria-current', 'true');
      } else {
        button.removeAttribute('aria-current');
      }
    }
    const editForm = document.getElementById('edit-team');
    editForm.hidden = !editable;
    document.getElementById('team-name').value = team.name;
    document.getElementById('team-description-input').value = team.description || '';
    document.getElementById('delete-team').hidden = Boolean(team.builtin);
    fieldError('team-name', '');

    const members = clear(document.getElementById('members'));
    const memberList = team.members || [];
    document.getElementById('no-members').hidden = memberList.length > 0;
    for (const member of memberList) {
      const name = member.displayName ? member.displayName + ' (' + member.username + ')' : member.username;
      members.appendChild(el('li', {dataset: {member: member.id}}, name, ' ',
        editable ? el('button', {type: 'button', class: 'button small danger', 'aria-label': 'Remove ' + name + ' from the team',
          onclick: () => change('DELETE', '/members/' + encodeURIComponent(member.id), 'Removed ' + name + '.')}, 'Remove') : null));
    }
    document.getElementById('add-member').hidden = !(editable && canSearchUsers);
    clear(document.getElementById('member-candidates'));

    const groups = clear(document.getElementById('external-groups').tBodies[0]);
    const groupList = team.externalGroups || [];
    document.getElementById('no-groups').hidden = groupList.length > 0;
    document.getElementById('external-groups').hidden = groupList.length === 0;
    for (const group of groupList) {
      const groupId = group.id || group.groupId;
      groups.appendChild(el('tr', {dataset: {group: groupId}},
        el('td', {}, el('code', {}, groupId)),
        el('td', {}, group.displayName || ''),
        el('td', {}, editable ? el('button', {type: 'button', class: 'button small danger', 'aria-label': 'Remove the group ' + groupId,
          onclick: () => change('DELETE', '/external-groups/' + encodeURIComponent(groupId), 'Removed the group ' + groupId + '.')},
        'Remove') : null)));
    }
    document.getElementById('add-group-details').hidden = !editable;

    const roleBox = clear(document.getElementById('roles'));
    roleBox.appendChild(el('legend', {}, 'Roles of ' + team.name));
    const teamRoles = (team.roles || []).map(r => typeof r === 'string' ? r : r.id);
    for (const role of roles) {
      const id = 'role-' + role.id;
      const input = el('input', {type: 'checkbox', id, checked: teamRoles.includes(role.id), disabled: !editable,
        'aria-describedby': id + '-permissions', dataset: {role: role.id}});
      input.addEventListener('change', () => change(input.checked ? 'PUT' : 'DELETE', '/roles/' + encodeURIComponent(role.id),
        (input.checked ? 'Granted the role ' : 'Took away the role ') + role.name + '.'));
      roleBox.appendChild(el('div', {class: 'field checkbox'}, input, el('label', {for: id}, role.name),
        el('span', {class: 'help', id: id + '-permissions'},
          (role.description ? role.description + ' ' : '') + 'Permissions: ' + (role.permissions || []).join(', ') + '.')));
    }
  }

  async function change(method, suffix, message) {
    const result = await api(teamPath(suffix), {method});
    if (!result.ok) {
      await open(current.id, false);
      say(teamStatus, problem(result), 'error');
      return;
    }
    await reload(message);
  }

  document.getElementById('create-team').hidden = !editable;
  document.getElementById('create-team').addEventListener('submit', async (event) => {
    event.preventDefault();
    const name = document.getElementById('new-team-name').value.trim();
    const description = document.getElementById('new-team-description').value.trim();
    fieldError('new-team-name', '');
    if (!name) {
      fieldError('new-team-name', 'Give the team a name.');
      return;
    }
    const result = await api('/api/teams', {method: 'POST', body: {name, description}});
    if (!result.ok) {
      refusal(result, {name: 'new-team-name'}, pageStatus);
      return;
    }
    document.getElementById('new-team-name').value = '';
    document.getElementById('new-team-description').value = '';
    await loadList();
    await open(result.data.id, true);
    say(teamStatus, 'Created the team ' + result.data.name + '.', 'ok');
  });

  document.getElementById('edit-team').addEventListener('submit', async (event) => {
    event.preventDefault();
    fieldError('team-name', '');
    const name = document.getElementById('team-name').value.trim();
    const description = document.getElementById('team-description-input').value.trim();
    if (!name) {
      fieldError('team-name', 'Give the team a name.');
      return;
    }
    const result = await api(teamPath(), {method: 'PUT', body: {name, description}});
    if (!result.ok) {
      refusal(result, {name: 'team-name'}, teamStatus);
      return;
    }
    await reload('Saved.');
  });

  document.getElementById('delete-team').addEventListener('click', async () => {
    if (!confirm('Delete the team ' + current.name + '? Its members lose the permissions it grants.')) {
      return;
    }
    const result = await api(teamPath(), {method: 'DELETE'});
    if (!result.ok) {
      say(teamStatus, problem(result), 'error');
      return;
    }
    const name = current.name;
    current = null;
    document.getElementById('team').hidden = true;
    history.replaceState(null, '', '/app/teams');
    await loadList();
    say(pageStatus, 'Deleted the team ' + name + '.', 'ok');
  });

  document.getElementById('add-member').addEventListener('submit', async (event) => {
    event.preventDefault();
    const query = document.getElementById('member-search').value.trim();
    const candidates = clear(document.getElementById('member-candidates'));
    const result = await api('/api/users?limit=10&search=' + encodeURIComponent(query));
    if (!result.ok) {
      say(teamStatus, problem(result), 'error');
      return;
    }
    const users = itemsOf(result.data, 'users');
    if (users.length === 0) {
      candidates.appendChild(el('li', {class: 'muted'}, 'No user matches \u2018' + query + '\u2019.'));
    }
    const memberIds = (current.members || []).map(m => m.id);
    for (const user of users) {
      const name = user.displayName ? user.displayName + ' (' + user.username + ')' : user.username;
      candidates.appendChild(el('li', {}, name, ' ', memberIds.includes(user.id) ? el('span', {class: 'muted'}, 'already a member')
        : el('button', {type: 'button', class: 'button small secondary', 'aria-label': 'Add ' + name + ' to the team',
          dataset: {addUser: user.username},
          onclick: () => change('PUT', '/members/' + encodeURIComponent(user.id), 'Added ' + name + '.')}, 'Add')));
    }
  });

  document.getElementById('add-group').addEventListener('submit', async (event) => {
    event.preventDefault();
    fieldError('group-id', '');
    fieldError('group-display-name', '');
    const id = document.getElementById('group-id').value.trim();
    const displayName = document.getElementById('group-display-name').value.trim();
    if (!id) {
      fieldError('group-id', 'Enter the group or role ID the identity provider sends.');
      return;
    }
    const result = await api(teamPath('/external-groups'), {method: 'POST', body: {id, displayName: displayName || id}});
    if (!result.ok) {
      refusal(result, {id: 'group-id', group: 'group-id', displayName: 'group-display-name'}, teamStatus);
      return;
    }
    document.getElementById('group-id').value = '';
    document.getElementById('group-display-name').value = '';
    document.getElementById('add-group-details').open = false;
    await reload('Added the external group ' + id + '.');
  });

  const rolesResult = await api('/api/roles');
  roles = rolesResult.ok ? itemsOf(rolesResult.data, 'roles') : [];
  const teams = await loadList();
  const wanted = new URLSearchParams(location.search).get('team');
  if (wanted && teams.some(t => t.id === wanted)) {
    await open(wanted, false);
  }
});
