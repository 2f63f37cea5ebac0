/**
 * The wizard's browser code (served as /assets/wizard.js). Plain ES2020, no framework: it keeps
 * the draft in one object, renders steps 2 and 3 from the portal check, and lets the server
 * judge the draft. Written without template literals so it can live in this string.
 */
export const WIZARD_JS = String.raw`
(function () {
  'use strict';
  var csrf = document.querySelector('meta[name="csrf-token"]').content;
  var initial = JSON.parse(document.getElementById('initial').textContent || '{}');
  var config = initial.config || {};
  var GROUPS = [['crm', 'CRM'], ['metadata', 'Metadata'], ['smart_processes', 'Smart processes'],
    ['users_and_structure', 'Users and structure'], ['telephony', 'Telephony'], ['open_lines', 'Open lines']];
  var state = { step: 1, check: null, selected: new Set(), settings: {} };
  var $ = function (id) { return document.getElementById(id); };
  // A stream as people know it: a smart process by its title, with the stream name beside it.
  function streamLabel(s) {
    if (!s.title) return el('span', { text: s.name });
    return el('span', {}, [el('span', { text: s.title }), el('span', { className: 'stream-name', text: s.name })]);
  }
  function streamText(s) { return s.title ? s.title + ' (' + s.name + ')' : s.name; }
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') node.textContent = attrs[k];
      else if (k === 'className') node.className = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }
  function showError(id, message) { var box = $(id); box.textContent = message || ''; box.hidden = !message; }
  function api(path, body) {
    return fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf }, body: JSON.stringify(body) })
      .then(function (r) { return r.json(); });
  }
  function go(step) {
    state.step = step;
    document.querySelectorAll('section.step').forEach(function (s) { s.hidden = Number(s.dataset.step) !== step; });
    document.querySelectorAll('#stepper li').forEach(function (li) {
      var n = Number(li.dataset.step);
      li.className = n === step ? 'current' : n < step ? 'done' : '';
    });
    window.scrollTo(0, 0);
  }
  document.querySelectorAll('[data-back]').forEach(function (b) { b.addEventListener('click', function () { go(state.step - 1); }); });

  // Step 1: access and options.
  function kind() { return document.querySelector('input[name="kind"]:checked').value; }
  function syncKind() { $('webhook-fields').hidden = kind() !== 'webhook'; $('oauth-fields').hidden = kind() !== 'oauth'; }
  document.querySelectorAll('input[name="kind"]').forEach(function (r) { r.addEventListener('change', syncKind); });
  function access() {
    if (kind() === 'oauth') {
      return { kind: 'oauth', portal_url: $('portal_url').value, client_id: $('client_id').value, client_secret: $('client_secret').value, refresh_token: $('refresh_token').value };
    }
    return { kind: 'webhook', webhook_url: $('webhook_url').value };
  }
  function options() {
    return {
      extract_deal_contacts: $('extract_deal_contacts').checked, enable_deal_comments: $('enable_deal_comments').checked,
      enable_deal_products: $('enable_deal_products').checked, operating_time_threshold: $('operating_time_threshold').value,
      deal_category_ids: $('deal_category_ids').value, plan: $('plan').value,
    };
  }
  (function fillInitial() {
    if (config.oauth) {
      document.querySelector('input[name="kind"][value="oauth"]').checked = true;
      ['portal_url', 'client_id', 'client_secret', 'refresh_token'].forEach(function (k) { $(k).value = config.oauth[k] || ''; });
    }
    $('webhook_url').value = config.webhook_url || '';
    ['extract_deal_contacts', 'enable_deal_comments', 'enable_deal_products'].forEach(function (k) { $(k).checked = config[k] === true; });
    if (config.operating_time_threshold !== undefined) $('operating_time_threshold').value = config.operating_time_threshold;
    $('deal_category_ids').value = (config.deal_category_ids || []).join(', ');
    if (config.plan) $('plan').value = config.plan;
    $('table_prefix').value = config.table_prefix || '';
    $('name').value = initial.name || '';
    $('description').value = initial.description || '';
    var trigger = initial.trigger || { preset: 'manual' };
    $('trigger').value = trigger.preset; $('cron').value = trigger.cron || '';
    $('history_days').value = config.history_days || 0;
    $('full_sync_every_days').value = config.full_sync_every_days || 0;
    $('models').checked = config.models === true;
    Object.keys(config.streams || {}).forEach(function (name) {
      var s = config.streams[name];
      if (s.selected) state.selected.add(name);
      state.settings[name] = { layer: s.layer || '', folder: s.folder || '', table: s.table || '', sync_type: s.sync_type || '' };
    });
    syncKind();
  })();

  $('check').addEventListener('click', function () {
    var button = $('check');
    button.disabled = true; button.textContent = 'Checking the portal…';
    showError('access-error', ''); $('access-ok').hidden = true;
    api('/api/check', { sourceId: initial.id, access: access(), options: options() }).then(function (result) {
      if (!result.ok) { showError('access-error', result.error); return; }
      var fresh = !state.check;
      state.check = result;
      // A stream the source has no choice for yet (all of them for a new source) starts with its
      // declared default (the *_fields metadata off), as a run would treat it.
      var decided = config.streams || {};
      if (fresh) result.streams.forEach(function (s) { if (!(s.name in decided) && s.selectedByDefault) state.selected.add(s.name); });
      result.streams.forEach(function (s) {
        var cur = state.settings[s.name] || {};
        state.settings[s.name] = { layer: cur.layer || s.suggested.layer, folder: cur.folder || s.suggested.folder,
          table: cur.table || s.suggested.table, sync_type: s.forcedMethod || cur.sync_type || (s.replicationKey ? 'INCREMENTAL' : 'FULL_TABLE') };
      });
      $('access-ok').textContent = 'Connected. Portal clock ' + result.portalTime + '; permissions: ' + (result.scopes.join(', ') || 'none') +
        '; ' + result.streams.length + ' streams available' + (result.unavailable.length ? ', ' + result.unavailable.length + ' unavailable (see step 2)' : '') + '.';
      $('access-ok').hidden = false;
      renderStreams(); go(2);
    }).catch(function (e) { showError('access-error', 'The console did not answer: ' + e); })
      .finally(function () { button.disabled = false; button.textContent = 'Check access and continue'; });
  });

  // Step 2: pick streams.
  function available() { return state.check ? state.check.streams : []; }
  function updateCount() {
    var names = available().map(function (s) { return s.name; });
    var n = names.filter(function (x) { return state.selected.has(x); }).length;
    $('selected-count').textContent = n + ' of ' + names.length + ' selected';
    document.querySelectorAll('#stream-groups .group').forEach(function (g) {
      var boxes = g.querySelectorAll('li:not(.unavailable) input');
      var on = Array.prototype.filter.call(boxes, function (b) { return b.checked; }).length;
      var all = g.querySelector('header input');
      all.checked = on === boxes.length && on > 0; all.indeterminate = on > 0 && on < boxes.length;
      g.querySelector('header .counter').textContent = on + ' / ' + boxes.length;
    });
  }
  function renderStreams() {
    var host = $('stream-groups'); host.textContent = '';
    GROUPS.forEach(function (pair) {
      var streams = available().filter(function (s) { return s.group === pair[0]; });
      var missing = state.check.unavailable.filter(function (u) { return u.group === pair[0]; });
      if (!streams.length && !missing.length) return;
      var all = el('input', { type: 'checkbox', 'aria-label': 'Select all ' + pair[1] });
      var list = el('ul');
      streams.forEach(function (s) {
        var box = el('input', { type: 'checkbox', value: s.name, 'data-stream': s.name });
        box.checked = state.selected.has(s.name);
        box.addEventListener('change', function () { if (box.checked) state.selected.add(s.name); else state.selected.delete(s.name); updateCount(); });
        list.appendChild(el('li', { 'data-name': s.name, 'data-search': streamText(s).toLowerCase(), title: s.description }, [el('label', { className: 'check' }, [box, streamLabel(s)])]));
      });
      missing.forEach(function (u) {
        list.appendChild(el('li', { className: 'unavailable', 'data-name': u.name }, [
          el('label', { className: 'check' }, [el('input', { type: 'checkbox', disabled: 'disabled' }), el('span', { text: u.name })]),
          el('span', { className: 'why', text: u.reason })]));
      });
      all.addEventListener('change', function () {
        list.querySelectorAll('li:not(.unavailable)').forEach(function (li) {
          if (li.hidden) return;
          var b = li.querySelector('input'); b.checked = all.checked;
          if (all.checked) state.selected.add(b.value); else state.selected.delete(b.value);
        });
        updateCount();
      });
      host.appendChild(el('div', { className: 'group', 'data-group': pair[0] }, [
        el('header', {}, [el('label', { className: 'check' }, [all, el('span', { text: pair[1] })]), el('span', { className: 'counter' })]), list]));
    });
    filterStreams(); updateCount();
  }
  function filterStreams() {
    var q = $('stream-search').value.trim().toLowerCase();
    document.querySelectorAll('#stream-groups .group').forEach(function (g) {
      var shown = 0;
      g.querySelectorAll('li').forEach(function (li) { li.hidden = q !== '' && (li.dataset.search || li.dataset.name).indexOf(q) < 0; if (!li.hidden) shown++; });
      g.hidden = shown === 0;
    });
  }
  $('stream-search').addEventListener('input', filterStreams);
  function setVisible(on) {
    document.querySelectorAll('#stream-groups li:not(.unavailable)').forEach(function (li) {
      if (li.hidden) return;
      var b = li.querySelector('input'); b.checked = on;
      if (on) state.selected.add(b.value); else state.selected.delete(b.value);
    });
    updateCount();
  }
  $('select-all').addEventListener('click', function () { setVisible(true); });
  $('select-none').addEventListener('click', function () { setVisible(false); });
  $('to-settings').addEventListener('click', function () {
    var chosen = available().filter(function (s) { return state.selected.has(s.name); });
    if (!chosen.length) { showError('streams-error', 'Select at least one stream.'); return; }
    showError('streams-error', ''); renderSettings(); go(3);
  });

  // Step 3: layer, folder, table and sync type per stream.
  function renderSettings() {
    var body = document.querySelector('#stream-settings tbody'); body.textContent = '';
    available().filter(function (s) { return state.selected.has(s.name); }).forEach(function (s) {
      var cur = state.settings[s.name];
      function input(key) {
        var i = el('input', { type: 'text', name: key, 'data-stream': s.name, 'aria-label': key + ' of ' + s.name });
        i.value = cur[key];
        i.addEventListener('input', function () { cur[key] = i.value; });
        return el('td', {}, [i]);
      }
      var select = el('select', { name: 'sync_type', 'data-stream': s.name, 'aria-label': 'sync type of ' + s.name });
      ['INCREMENTAL', 'FULL_TABLE'].forEach(function (m) {
        var o = el('option', { value: m, text: m });
        if (m === 'INCREMENTAL' && !s.replicationKey) o.disabled = true;
        select.appendChild(o);
      });
      select.value = cur.sync_type;
      if (s.forcedMethod) select.disabled = true;
      select.addEventListener('change', function () { cur.sync_type = select.value; });
      body.appendChild(el('tr', { 'data-stream': s.name }, [el('td', { title: s.description }, [streamLabel(s)]), input('layer'), input('folder'), input('table'), el('td', {}, [select])]));
    });
  }
  $('to-source').addEventListener('click', function () {
    var bad = /[^A-Za-z0-9_]/;
    var problem = '';
    if (bad.test($('table_prefix').value)) problem = 'The prefix may use only letters, digits and _.';
    state.selected.forEach(function (name) {
      var s = state.settings[name];
      if (s && !problem && (bad.test(s.layer) || bad.test(s.folder) || bad.test(s.table) || !s.table)) problem = name + ': layer, folder and table name use only letters, digits and _.';
    });
    showError('settings-error', problem);
    if (!problem) go(4);
  });

  // Step 4: description, trigger, history, full sync.
  function syncCount() { $('description-count').textContent = $('description').value.length; }
  $('description').addEventListener('input', syncCount); syncCount();
  function syncTrigger() { $('cron-field').hidden = $('trigger').value !== 'cron'; }
  $('trigger').addEventListener('change', syncTrigger); syncTrigger();

  function draft() {
    var streams = {};
    available().forEach(function (s) {
      var cur = state.settings[s.name];
      streams[s.name] = { selected: state.selected.has(s.name), sync_type: cur.sync_type, layer: cur.layer, folder: cur.folder, table: cur.table };
    });
    var titles = {};
    available().forEach(function (s) { if (s.title) titles[s.name] = s.title; });
    return { name: $('name').value, description: $('description').value, stream_titles: titles,
      trigger: { preset: $('trigger').value, cron: $('cron').value }, access: access(), options: options(), streams: streams,
      table_prefix: $('table_prefix').value, history_days: $('history_days').value, full_sync_every_days: $('full_sync_every_days').value, models: $('models').checked };
  }
  var STEP_OF = { name: 4, description: 4, 'trigger.cron': 4, 'trigger.preset': 4, history_days: 4, full_sync_every_days: 4, streams: 3, table_prefix: 3 };
  var BOX_OF = { 1: 'access-error', 2: 'streams-error', 3: 'settings-error', 4: 'source-error', 5: 'create-error' };
  function checkDraft(then) {
    api('/api/sources/validate', { id: initial.id, draft: draft() }).then(function (r) {
      if (r.ok) { then(r); return; }
      var step = STEP_OF[r.field] || (String(r.field || '').indexOf('streams') === 0 ? 3 : String(r.field || '').indexOf('access') === 0 ? 1 : state.step);
      go(step); showError(BOX_OF[step], r.error);
    });
  }
  $('to-review').addEventListener('click', function () {
    showError('source-error', '');
    checkDraft(function () { renderReview(); go(5); });
  });

  // Step 5: review and create.
  function renderReview() {
    var d = draft(); var dl = $('review'); dl.textContent = '';
    var chosen = available().filter(function (s) { return state.selected.has(s.name); });
    var rows = [['Name', d.name], ['Description', d.description || '—'],
      ['Access', d.access.kind === 'oauth' ? 'OAuth app ' + d.access.client_id + ' at ' + d.access.portal_url : 'webhook ' + d.access.webhook_url.replace(/(\/rest\/[^/]+\/)([^/]{2})[^/]*([^/]{2})\/?$/, '$1$2…$3/')],
      ['Streams', chosen.length + ': ' + chosen.map(streamText).join(', ')],
      ['Tables', chosen.slice(0, 6).map(function (s) { var c = state.settings[s.name]; return c.layer + '.' + d.table_prefix + c.table + ' (' + c.sync_type + ')'; }).join(', ') + (chosen.length > 6 ? ', …' : '')],
      ['Trigger', d.trigger.preset === 'cron' ? 'cron ' + d.trigger.cron : $('trigger').selectedOptions[0].textContent],
      ['History retention', d.history_days + ' days'], ['Additional full sync', Number(d.full_sync_every_days) ? 'every ' + d.full_sync_every_days + ' days' : 'never'],
      ['Models', d.models ? 'rebuilt after each run' : 'off']];
    rows.forEach(function (r) { dl.appendChild(el('dt', { text: r[0] })); dl.appendChild(el('dd', { text: r[1] })); });
  }
  $('create').addEventListener('click', function () {
    var button = $('create'); button.disabled = true;
    api(initial.id ? '/api/sources/' + initial.id : '/api/sources', draft()).then(function (r) {
      if (r.ok) { window.location.href = '/sources?saved=' + encodeURIComponent(r.id); return; }
      showError('create-error', r.error);
    }).finally(function () { button.disabled = false; });
  });
})();
`;
