// Configuration > Authentication: the provider instances and a settings form generated from the
// provider type's setting descriptions.
'use strict';

IdB.start('configure-authentication', async () => {
  const {api, problem, el, clear, say} = IdB;
  const pageStatus = document.getElementById('page-status');
  const list = document.getElementById('provider-list');
  const editor = document.getElementById('editor');
  const fields = document.getElementById('settings-fields');
  const saveStatus = document.getElementById('save-status');
  let types = [];
  let current = null; // {id, type, settings, secrets, isNew}

  const typeName = (t) => t.type || t.id || t.name;
  const descriptorsOf = (t) => (t && (t.settings || t.descriptors || t.settingDescriptors)) || [];
  const typeByName = (name) => types.find(t => typeName(t) === name);

  const typesResult = await api('/api/configuration/provider-types');
  if (!typesResult.ok) {
    say(pageStatus, problem(typesResult), 'error');
    return;
  }
  types = Array.isArray(typesResult.data) ? typesResult.data : (typesResult.data.types || []);
  const typeSelect = document.getElementById('new-provider-type');
  for (const t of types) {
    typeSelect.appendChild(el('option', {value: typeName(t)}, t.displayName ? t.displayName + ' (' + typeName(t) + ')' : typeName(t)));
  }
  // the installed type that says it is the default for new instances (the generic OpenID Connect one) comes first
  const preferred = types.find((t) => t.defaultForNewInstances);
  if (preferred) {
    typeSelect.value = typeName(preferred);
  }

  async function loadList(selectId) {
    const result = await api('/api/configuration/providers');
    if (!result.ok) {
      say(pageStatus, problem(result), 'error');
      return;
    }
    const providers = Array.isArray(result.data) ? result.data : (result.data.providers || []);
    clear(list);
    document.getElementById('no-provider').hidden = providers.length > 0;
    for (const provider of providers) {
      const settings = provider.settings || {};
      const enabled = settings.enabled === 'true';
      const displayName = settings.displayName || provider.displayName;
      list.appendChild(el('li', {},
        el('button', {type: 'button', class: 'list-button', dataset: {provider: provider.id},
            'aria-current': current && current.id === provider.id ? 'true' : null,
            onclick: () => open(provider.id)},
          provider.id, ' ',
          el('span', {class: 'badge ' + (enabled ? 'on' : 'off')}, enabled ? 'enabled' : 'disabled'),
          displayName ? el('span', {class: 'muted'}, ' ' + displayName) : null)));
    }
    const wanted = selectId || new URLSearchParams(location.search).get('provider');
    if (wanted && !current && providers.some(p => p.id === wanted)) {
      await open(wanted);
    }
  }

  function markCurrent() {
    for (const button of list.querySelectorAll('button[data-provider]')) {
      if (current && button.dataset.provider === current.id) {
        button.setAttribute('aria-current', 'true');
      } else {
        button.removeAttribute('aria-current');
      }
    }
  }

  async function open(id) {
    const result = await api('/api/configuration/providers/' + encodeURIComponent(id));
    if (!result.ok) {
      say(pageStatus, problem(result), 'error');
      return;
    }
    const data = result.data;
    show({id: data.id || id, type: data.type, settings: data.settings || {}, secrets: data.secrets || {},
      redirectUri: data.redirectUri, problem: data.problem, isNew: false});
  }

  function show(provider) {
    current = provider;
    history.replaceState(null, '', '/app/authentication?provider=' + encodeURIComponent(provider.id));
    document.getElementById('editor-id').textContent = provider.id;
    const type = typeByName(provider.type);
    document.getElementById('editor-type').textContent = type && type.displayName ? type.displayName : provider.type;
    say(document.getElementById('provider-problem'), provider.problem
      ? 'People cannot sign in through this provider now: ' + provider.problem : '', 'error');
    document.getElementById('redirect-uri').textContent = provider.redirectUri
      || location.origin + '/api/users/authenticatedToken/' + encodeURIComponent(provider.id);
    document.getElementById('copy-status').textContent = '';
    document.getElementById('test-sign-in').href = '/api/users/authenticate/' + encodeURIComponent(provider.id) + '?mode=test';
    document.getElementById('test-sign-in').hidden = provider.isNew;
    document.getElementById('test').disabled = provider.isNew;
    document.getElementById('delete').hidden = provider.isNew;
    document.getElementById('test-results').hidden = true;
    say(saveStatus, provider.isNew ? 'Not saved yet: fill in the settings and press Save.' : '', 'info');
    renderFields(descriptorsOf(typeByName(provider.type)), provider);
    editor.hidden = false;
    say(pageStatus, '');
    markCurrent();
  }

  function renderFields(descriptors, provider) {
    clear(fields);
    if (descriptors.length === 0) {
      fields.appendChild(el('p', {class: 'status status-error'}, 'The provider type \u2018' + provider.type
        + '\u2019 is not installed on this broker, so its settings cannot be edited here.'));
    }
    for (const d of descriptors) {
      fields.appendChild(d.secret ? secretField(d, provider) : plainField(d, provider));
    }
  }

  function describedBy(d) {
    return 'help-' + d.name + ' error-' + d.name;
  }

  function helpAndError(d) {
    const help = [d.help || ''];
    if (d.defaultValue !== null && d.defaultValue !== undefined && d.defaultValue !== '' && d.kind !== 'BOOLEAN') {
      help.push(' Default: ' + d.defaultValue + '.');
    }
    return [el('span', {class: 'help', id: 'help-' + d.name}, help.join('')),
      el('span', {class: 'field-error', id: 'error-' + d.name, hidden: true})];
  }

  function label(d) {
    return el('label', {for: 'setting-' + d.name}, d.label || d.name, d.required ? el('span', {class: 'muted'}, ' (required)') : null);
  }

  function plainField(d, provider) {
    const stored = provider.settings[d.name];
    const value = stored !== undefined && stored !== null ? String(stored) : '';
    const common = {id: 'setting-' + d.name, name: d.name, 'aria-describedby': describedBy(d), dataset: {setting: d.name}};
    if (d.kind === 'BOOLEAN') {
      const checked = (value || d.defaultValue || 'false') === 'true';
      return el('div', {class: 'field checkbox'},
        el('input', Object.assign({type: 'checkbox', checked}, common)),
        el('label', {for: 'setting-' + d.name}, d.label || d.name),
        ...helpAndError(d));
    }
    let input;
    if (d.kind === 'MULTILINE') {
      input = el('textarea', Object.assign({rows: 6, spellcheck: 'false', autocomplete: 'off',
        'aria-required': d.required ? 'true' : null}, common));
      input.value = value;
    } else if (d.kind === 'CHOICE') {
      input = el('select', common,
        (d.choices || []).map(choice => el('option', {value: choice, selected: (value || d.defaultValue) === choice}, choice)));
    } else {
      input = el('input', Object.assign({
        type: 'text',
        inputmode: d.kind === 'INTEGER' ? 'numeric' : (d.kind === 'URL' ? 'url' : null),
        value,
        placeholder: d.defaultValue || null,
        autocomplete: 'off',
        spellcheck: 'false',
        'aria-required': d.required ? 'true' : null
      }, common));
    }
    return el('div', {class: 'field'}, label(d), input, ...helpAndError(d));
  }

  function secretField(d, provider) {
    const state = provider.secrets[d.name];
    const hasValue = state === true || (state && state.hasValue === true);
    const input = el('input', {type: 'password', id: 'setting-' + d.name, name: d.name, autocomplete: 'new-password',
      'aria-describedby': describedBy(d), dataset: {secret: d.name}, hidden: hasValue,
      'aria-required': d.required ? 'true' : null});
    const wrapper = el('div', {class: 'field'}, label(d));
    if (hasValue) {
      const stateText = el('span', {class: 'secret-state', id: 'secret-state-' + d.name}, el('span', {class: 'badge on'}, 'set'));
      const replace = el('button', {type: 'button', class: 'button small secondary', id: 'replace-' + d.name,
        'aria-describedby': 'secret-state-' + d.name}, 'Replace');
      replace.addEventListener('click', () => {
        input.hidden = false;
        replace.hidden = true;
        stateText.textContent = 'A new value replaces the stored one when you save; leave it empty to keep the stored one.';
        input.focus();
      });
      wrapper.appendChild(el('div', {}, stateText, replace));
    }
    wrapper.appendChild(input);
    for (const part of helpAndError(d)) {
      wrapper.appendChild(part);
    }
    return wrapper;
  }

  function clearErrors() {
    for (const error of fields.querySelectorAll('.field-error')) {
      error.textContent = '';
      error.hidden = true;
    }
    for (const input of fields.querySelectorAll('[aria-invalid]')) {
      input.removeAttribute('aria-invalid');
    }
  }

  function showFieldErrors(errors) {
    let first = null;
    const elsewhere = [];
    for (const [name, message] of Object.entries(errors)) {
      const error = document.getElementById('error-' + name);
      const input = document.getElementById('setting-' + name);
      if (error && input && fields.contains(input)) {
        error.textContent = message;
        error.hidden = false;
        input.setAttribute('aria-invalid', 'true');
        if (input.hidden) {
          input.hidden = false;
          const replace = document.getElementById('replace-' + name);
          if (replace) {
            replace.hidden = true;
          }
        }
        first = first || input;
      } else {
        elsewhere.push(name + ': ' + message);
      }
    }
    const count = Object.keys(errors).length;
    say(saveStatus, 'Not saved: ' + (count === 1 ? 'one setting needs' : count + ' settings need') + ' attention.'
      + (elsewhere.length ? ' ' + elsewhere.join(' ') : ''), 'error');
    if (first) {
      first.focus();
    }
  }

  async function save(event) {
    event.preventDefault();
    clearErrors();
    const settings = {};
    const secrets = {};
    // a setting left out takes the type's default
    for (const input of fields.querySelectorAll('[data-setting]')) {
      const value = input.type === 'checkbox' ? String(input.checked) : input.value.trim();
      if (value !== '') {
        settings[input.dataset.setting] = value;
      }
    }
    for (const input of fields.querySelectorAll('[data-secret]')) {
      if (!input.hidden && input.value !== '') {
        secrets[input.dataset.secret] = input.value;
      }
    }
    const button = document.getElementById('save');
    button.disabled = true;
    say(saveStatus, 'Saving\u2026', 'info');
    const result = await api('/api/configuration/providers/' + encodeURIComponent(current.id),
      {method: 'PUT', body: {type: current.type, settings, secrets}});
    button.disabled = false;
    if (!result.ok) {
      if (result.data && result.data.fields && Object.keys(result.data.fields).length > 0) {
        showFieldErrors(result.data.fields);
      } else {
        say(saveStatus, 'Not saved: ' + problem(result), 'error');
      }
      return;
    }
    const id = current.id;
    current = null;
    await open(id);
    await loadList();
    say(saveStatus, 'Saved. Sign-ins use the new settings now.', 'ok');
  }

  async function runTest() {
    const button = document.getElementById('test');
    const results = document.getElementById('test-results');
    const summary = document.getElementById('test-summary');
    const findings = clear(document.getElementById('findings'));
    button.disabled = true;
    results.hidden = false;
    summary.textContent = 'Testing\u2026';
    const result = await api('/api/configuration/providers/' + encodeURIComponent(current.id) + '/test', {method: 'POST'});
    button.disabled = false;
    if (!result.ok) {
      summary.textContent = 'The test could not run: ' + problem(result);
      return;
    }
    const items = Array.isArray(result.data) ? result.data : (result.data.findings || []);
    const failures = items.filter(f => f.severity === 'FAIL').length;
    const warnings = items.filter(f => f.severity === 'WARN').length;
    summary.textContent = failures > 0 ? failures + ' problem(s) found: fix them before people sign in.'
      : warnings > 0 ? 'It works, with ' + warnings + ' warning(s).' : 'All checks passed.';
    for (const finding of items) {
      findings.appendChild(el('li', {class: 'finding-' + finding.severity},
        el('span', {class: 'severity'}, finding.severity), el('strong', {}, finding.check), ': ', finding.message));
    }
    document.getElementById('test-title').focus();
  }

  async function remove() {
    if (!confirm('Delete the provider ' + current.id + '? People can no longer sign in through it.')) {
      return;
    }
    const result = await api('/api/configuration/providers/' + encodeURIComponent(current.id), {method: 'DELETE'});
    if (!result.ok) {
      say(saveStatus, problem(result), 'error');
      return;
    }
    say(pageStatus, 'Deleted the provider ' + current.id + '.', 'ok');
    current = null;
    editor.hidden = true;
    history.replaceState(null, '', '/app/authentication');
    await loadList();
  }

  document.getElementById('add-provider').addEventListener('submit', (event) => {
    event.preventDefault();
    const idInput = document.getElementById('new-provider-id');
    const id = idInput.value.trim();
    if (!/^[A-Za-z0-9][A-Za-z0-9-]*$/.test(id)) {
      idInput.setAttribute('aria-invalid', 'true');
      say(pageStatus, 'Give the new provider an ID made of letters, digits and dashes.', 'error');
      idInput.focus();
      return;
    }
    idInput.removeAttribute('aria-invalid');
    if (list.querySelector('button[data-provider="' + CSS.escape(id) + '"]')) {
      open(id);
      return;
    }
    show({id, type: typeSelect.value, settings: {}, secrets: {}, isNew: true});
    idInput.value = '';
    const first = fields.querySelector('input, select');
    if (first) {
      first.focus();
    }
  });
  document.getElementById('settings-form').addEventListener('submit', save);
  document.getElementById('test').addEventListener('click', runTest);
  document.getElementById('delete').addEventListener('click', remove);
  document.getElementById('copy-redirect-uri').addEventListener('click',
    () => IdB.copy(document.getElementById('redirect-uri'), document.getElementById('copy-status')));

  await loadList();
});
