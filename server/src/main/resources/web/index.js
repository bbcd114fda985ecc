// The home page: who you are and your teams; sends you to the sign-in page when signed out.
(async function () {
  const response = await fetch('/api/users/me', {headers: {Accept: 'application/json'}});
  if (response.status === 401) {
    location.href = '/app/sign-in';
    return;
  }
  const me = await response.json();
  document.getElementById('display-name').textContent = me.displayName || me.username;
  document.getElementById('username').textContent = me.username;
  document.getElementById('email').textContent = me.emailAddress || '';
  const teams = document.getElementById('teams');
  for (const team of me.teams) {
    const item = document.createElement('li');
    item.textContent = team.name;
    teams.appendChild(item);
  }
  document.getElementById('sign-out').addEventListener('click', async () => {
    const signOut = await fetch('/api/users/sign-out', {method: 'POST', headers: {'X-Requested-With': 'idbroker'}});
    const answer = signOut.ok ? await signOut.json() : {};
    // the IdP ends its own session too, then sends the browser back to the sign-in page
    location.href = answer.redirectTo || '/app/sign-in';
  });
})();
