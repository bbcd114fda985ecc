// Lists the enabled providers as sign-in buttons.
(async function () {
  const list = document.getElementById('providers');
  const params = new URLSearchParams(location.search);
  const after = params.get('redirectAfterLoginTo') || '/app/';
  const response = await fetch('/api/authentication/providers', {headers: {Accept: 'application/json'}});
  const providers = response.ok ? await response.json() : [];
  if (providers.length === 0) {
    document.getElementById('no-providers').hidden = false;
  }
  for (const provider of providers) {
    const item = document.createElement('li');
    const link = document.createElement('a');
    link.className = 'button';
    link.href = provider.signInUrl + '?redirectAfterLoginTo=' + encodeURIComponent(after);
    link.textContent = 'Sign in with ' + provider.displayName;
    link.dataset.provider = provider.id;
    item.appendChild(link);
    list.appendChild(item);
  }
})();
