// The home page: who you are, your external identities, teams and permissions.
'use strict';

const PERMISSION_TEXT = {
  'administer-system': 'Administer the system',
  'view-users': 'View users',
  'edit-users': 'Edit users',
  'view-teams': 'View teams',
  'edit-teams': 'Edit teams',
  'configure-authentication': 'Configure authentication',
  'view-events': 'View events'
};

IdB.start(null, (me) => {
  const {el} = IdB;
  document.getElementById('display-name').textContent = me.displayName || me.username;
  document.getElementById('username').textContent = me.username;
  if (me.emailAddress) {
    document.getElementById('email').textContent = me.emailAddress;
    document.getElementById('email-line').hidden = false;
  }
  const teams = document.getElementById('teams');
  for (const team of me.teams || []) {
    teams.appendChild(el('li', {}, team.name));
  }
  const permissions = document.getElementById('permissions');
  for (const permission of me.permissions || []) {
    permissions.appendChild(el('li', {title: permission, dataset: {permission}}, PERMISSION_TEXT[permission] || permission));
  }
  document.getElementById('no-permissions').hidden = (me.permissions || []).length > 0;
  const identities = me.externalIdentities || [];
  document.getElementById('no-identities').hidden = identities.length > 0;
  const table = document.getElementById('identities');
  table.hidden = identities.length === 0;
  for (const identity of identities) {
    table.tBodies[0].appendChild(el('tr', {},
      el('td', {}, identity.providerId || ''),
      el('td', {class: 'wrap'}, identity.issuer || ''),
      el('td', {class: 'wrap'}, identity.subject || ''),
      el('td', {}, identity.emailAddress || '')));
  }
  const groups = document.getElementById('external-groups');
  for (const group of me.externalGroups || []) {
    groups.appendChild(el('li', {}, group));
  }
  document.getElementById('no-groups').hidden = (me.externalGroups || []).length > 0;
});
