// Lists the enabled providers as sign-in buttons, each with its Display Name.
'use strict';

(async function () {
  const list = document.getElementById('providers');
  const status = document.getElementById('sign-in-status');
  const params = new URLSearchParams(location.search);
  const after = params.get('redirectAfterLoginTo') || '/app/';
  let providers = [];
  try {
    const response = await fetch('/api/authentication/providers', {headers: {Accept: 'application/json'}});
    if (!response.ok) {
      throw new Error('HTTP ' + response.status);
    }
    providers = await response.json();
  } catch (e) {
    status.textContent = 'The broker did not list its sign-in providers (' + e.message + '). Reload the page to try again.';
    status.className = 'status status-error';
    status.hidden = false;
    return;
  }
  document.getElementById('no-providers').hidden = providers.length > 0;
  for (const provider of providers) {
    const link = document.createElement('a');
    link.className = 'button';
    link.href = provider.signInUrl + '?redirectAfterLoginTo=' + encodeURIComponent(after)
      + (params.get('loginHint') ? '&loginHint=' + encodeURIComponent(params.get('loginHint')) : '');
    link.textContent = 'Sign in with ' + provider.displayName;
    link.dataset.provider = provider.id;
    const item = document.createElement('li');
    item.appendChild(link);
    list.appendChild(item);
  }
  document.body.dataset.ready = 'true';
})();
