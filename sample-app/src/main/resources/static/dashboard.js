// The dashboard: plain JavaScript, no build step. State arrives as server-sent events named "state" from
// /dashboard/events (after every transition and once a second); buttons POST to /feed/{action} and to the
// starter's actuator endpoint /actuator/connections/{name}.
(function () {
  'use strict';

  const STATE_COLOURS = {
    CONNECTED: 'pill-green',
    CONNECTING: 'pill-blue',
    AUTHENTICATING: 'pill-blue',
    RECONNECTING: 'pill-amber',
    DISCONNECTED: 'pill-grey',
    FATAL: 'pill-red'
  };

  const cards = new Map();      // connection name -> card elements
  const seenTransitions = new Set();
  let latest = null;

  // ---- helpers ----

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => node.setAttribute(k, v));
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function toMillis(value) {
    if (value === null || value === undefined) return null;
    if (typeof value === 'number') return value < 1e11 ? value * 1000 : value;   // seconds or millis
    const parsed = Date.parse(value);
    return isNaN(parsed) ? null : parsed;
  }

  function time(value) {
    const ms = toMillis(value);
    if (ms === null) return '–';
    const d = new Date(ms);
    return d.toLocaleTimeString([], { hour12: false }) + '.' + String(d.getMilliseconds()).padStart(3, '0');
  }

  function ago(value, now) {
    const ms = toMillis(value);
    if (ms === null) return '–';
    const s = Math.max(0, (now - ms) / 1000);
    if (s < 60) return s.toFixed(s < 10 ? 1 : 0) + ' s ago';
    if (s < 3600) return Math.floor(s / 60) + ' min ' + Math.floor(s % 60) + ' s ago';
    return Math.floor(s / 3600) + ' h ' + Math.floor((s % 3600) / 60) + ' min ago';
  }

  function inFuture(value, now) {
    const ms = toMillis(value);
    if (ms === null) return '–';
    return 'in ' + Math.max(0, (ms - now) / 1000).toFixed(1) + ' s';
  }

  function facts(container, entries) {
    container.replaceChildren(...entries.map(([label, value, cls]) => {
      const fact = el('div', { class: 'fact' });
      fact.append(el('div', { class: 'label' }, label));
      fact.append(el('div', { class: 'value' + (cls ? ' ' + cls : '') }, value === null || value === undefined ? '–' : String(value)));
      return fact;
    }));
  }

  function say(text) {
    document.getElementById('last-action').textContent = new Date().toLocaleTimeString([], { hour12: false }) + '  ' + text;
  }

  async function post(url, body) {
    const response = await fetch(url, {
      method: 'POST',
      headers: body ? { 'Content-Type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined
    });
    if (!response.ok) {
      const text = await response.text();
      throw new Error('HTTP ' + response.status + ' ' + text.slice(0, 200));
    }
  }

  // ---- connections ----

  function card(connection) {
    let c = cards.get(connection.name);
    if (c) return c;
    const node = document.getElementById('connection-template').content.firstElementChild.cloneNode(true);
    node.id = 'conn-' + connection.name;
    node.dataset.connection = connection.name;
    node.querySelector('.name').textContent = connection.name;
    node.querySelectorAll('[data-connection-action]').forEach((button) => {
      button.id = 'conn-' + connection.name + '-' + button.dataset.connectionAction;
      button.addEventListener('click', async () => {
        const action = button.dataset.connectionAction;
        try {
          await post('actuator/connections/' + encodeURIComponent(connection.name), { action: action });
          say(action + ' requested for ' + connection.name + ' (POST /actuator/connections/' + connection.name + ')');
        } catch (e) {
          say(action + ' failed for ' + connection.name + ': ' + e.message);
        }
      });
    });
    document.getElementById('no-connections').hidden = true;
    document.getElementById('connections').append(node);
    c = {
      node: node,
      url: node.querySelector('.url'),
      state: node.querySelector('.state'),
      facts: node.querySelector('.facts'),
      failure: node.querySelector('.failure'),
      backoff: node.querySelector('.backoff-chart'),
      rtt: node.querySelector('.rtt-chart'),
      transitions: node.querySelector('.transitions tbody')
    };
    cards.set(connection.name, c);
    return c;
  }

  function renderConnection(connection, now) {
    const c = card(connection);
    c.url.textContent = connection.url;
    c.state.textContent = connection.state;
    c.state.className = 'state pill ' + (STATE_COLOURS[connection.state] || 'pill-grey');
    c.node.dataset.state = connection.state;
    const rows = [
      ['Since', ago(connection.since, now)],
      ['Attempt', connection.attempt + ' (total ' + connection.totalAttempts + ')'],
      ['Next attempt', connection.state === 'RECONNECTING' ? inFuture(connection.nextAttemptAt, now) : '–'],
      ['Circuit breaker', connection.circuitBreaker, connection.circuitBreaker === 'OPEN' ? 'bad' : ''],
      ['Heartbeat RTT', connection.heartbeatRoundTripMillis == null ? '–' : connection.heartbeatRoundTripMillis.toFixed(2) + ' ms'],
      ['Heartbeats missed', connection.heartbeatsMissed, connection.heartbeatsMissed > 0 ? 'bad' : ''],
      ['Messages in / out', connection.messagesIn + ' / ' + connection.messagesOut],
      ['Buffered outbound', connection.buffered],
      ['Resume position', connection.resumePosition],
      ['Duplicates dropped', connection.duplicatesDropped],
      ['Gaps detected', connection.gaps, connection.gaps > 0 ? 'bad' : '']
    ];
    if (connection.role) { // exclusive (cluster profile): held by this replica, or a standby
      rows.unshift(['Replica role', connection.role === 'leader'
        ? 'holds it' + (connection.holder ? ' (' + connection.holder + ')' : '') : 'standby: another replica holds it']);
    }
    facts(c.facts, rows);
    c.failure.textContent = connection.lastFailure
      ? 'Last failure' + (connection.lastFailureAt ? ' (' + time(connection.lastFailureAt) + ')' : '') + ': ' + connection.lastFailure
      : '';
    c.failure.className = 'failure small' + (connection.state === 'CONNECTED' ? ' past' : '');
    renderTransitions(c, connection);
    drawBackoff(c.backoff, connection.backoffs || []);
    drawRoundTrips(c.rtt, connection.roundTrips || [], now);
  }

  function renderTransitions(c, connection) {
    const list = connection.transitions || [];
    const key = list.length + '|' + (list.length ? list[0].at + list[0].to : '');
    if (c.transitionsKey === key) return;   // unchanged: keep the rows (and any text selection)
    c.transitionsKey = key;
    const rows = list.map((t) => {
      const key = connection.name + '|' + t.at + '|' + t.from + '|' + t.to + '|' + t.attempt;
      const row = el('tr');
      if (!seenTransitions.has(key)) {
        seenTransitions.add(key);
        if (latest !== null) row.className = 'flash';
      }
      row.dataset.to = t.to;
      row.dataset.at = String(t.at);
      row.append(el('td', { class: 'mono' }, time(t.at)));
      row.append(el('td', {}, t.from + ' → ' + t.to));
      row.append(el('td', { class: 'mono' }, t.trigger));
      row.append(el('td', { class: 'num' }, t.attempt));
      row.append(el('td', { class: 'num' }, t.retryInMillis == null ? '' : t.retryInMillis + ' ms'));
      row.append(el('td', {}, t.cause || ''));
      return row;
    });
    c.transitions.replaceChildren(...rows);
  }

  // ---- charts (canvas) ----

  function prepare(canvas) {
    const ratio = window.devicePixelRatio || 1;
    const width = canvas.clientWidth || canvas.width;
    const height = canvas.clientHeight || canvas.height;
    if (canvas.width !== Math.round(width * ratio)) {
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
    }
    const g = canvas.getContext('2d');
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.clearRect(0, 0, width, height);
    g.font = '10px system-ui, sans-serif';
    return { g: g, w: width, h: height };
  }

  function niceMax(value) {
    if (value <= 0) return 1;
    const p = Math.pow(10, Math.floor(Math.log10(value)));
    for (const m of [1, 2, 2.5, 5, 10]) if (value <= m * p) return m * p;
    return 10 * p;
  }

  function axes(g, w, h, left, max, unit) {
    g.strokeStyle = '#d0d7de';
    g.fillStyle = '#6a737d';
    g.lineWidth = 1;
    for (const f of [0, 0.5, 1]) {
      const y = h - 16 - f * (h - 26);
      g.beginPath(); g.moveTo(left, y + 0.5); g.lineTo(w - 4, y + 0.5); g.stroke();
      g.fillText(formatNumber(max * f) + unit, 2, y + 3);
    }
  }

  function formatNumber(v) {
    if (v === 0) return '0';
    return v >= 10 ? String(Math.round(v)) : v.toFixed(v >= 1 ? 1 : 2);
  }

  function drawBackoff(canvas, backoffs) {
    const { g, w, h } = prepare(canvas);
    const left = 48;
    const max = niceMax(Math.max(1000, ...backoffs.map((b) => b.delayMillis)));
    axes(g, w, h, left, max, ' ms');
    if (backoffs.length === 0) {
      g.fillStyle = '#6a737d';
      g.fillText('no reconnects yet', left + 8, h / 2);
      return;
    }
    const slots = Math.max(backoffs.length, 12);
    const slot = (w - left - 8) / slots;
    backoffs.forEach((b, i) => {
      const barH = (b.delayMillis / max) * (h - 26);
      const x = left + 2 + i * slot;
      g.fillStyle = b.attempt >= 4 ? '#cf222e' : b.attempt >= 2 ? '#d4a72c' : '#0969da';
      g.fillRect(x, h - 16 - barH, Math.max(2, slot - 3), barH);
      g.fillStyle = '#57606a';
      if (slot > 12) g.fillText('#' + b.attempt, x, h - 4);
    });
  }

  function drawRoundTrips(canvas, samples, now) {
    const { g, w, h } = prepare(canvas);
    const left = 48;
    const max = niceMax(Math.max(1, ...samples.map((s) => s.millis)));
    axes(g, w, h, left, max, ' ms');
    if (samples.length === 0) {
      g.fillStyle = '#6a737d';
      g.fillText('no heartbeat answered yet', left + 8, h / 2);
      return;
    }
    const span = 120000;
    g.strokeStyle = '#1a7f37';
    g.lineWidth = 1.5;
    g.beginPath();
    samples.forEach((s, i) => {
      const x = left + ((s.at - (now - span)) / span) * (w - left - 8);
      const y = h - 16 - (s.millis / max) * (h - 26);
      if (i === 0) g.moveTo(x, y); else g.lineTo(x, y);
    });
    g.stroke();
    g.fillStyle = '#6a737d';
    g.fillText('-2 min', left, h - 4);
    g.fillText('now', w - 28, h - 4);
  }

  // ---- feed and board ----

  function renderFeed(feed, now) {
    const section = document.getElementById('feed');
    if (!feed) {
      section.querySelectorAll('button').forEach((b) => { b.disabled = true; });
      document.getElementById('feed-url').textContent = '(not embedded)';
      return;
    }
    document.getElementById('feed-url').textContent = feed.url;
    let upgrades = 'accepting';
    if (feed.rejectingUpgrades) {
      upgrades = '503' + (feed.rejectingUpgradesUntil ? ' ' + inFuture(feed.rejectingUpgradesUntil, now).replace('in', 'for') : ' until restored');
    }
    facts(document.getElementById('feed-status'), [
      ['Listening', feed.listening ? 'yes' : 'no, back ' + inFuture(feed.restartingAt, now), feed.listening ? '' : 'bad'],
      ['Upgrades', upgrades, feed.rejectingUpgrades ? 'bad' : ''],
      ['Authentication', feed.rejectingAuthentication ? 'rejecting' : 'accepting', feed.rejectingAuthentication ? 'bad' : ''],
      ['Connections', feed.connections + ' (' + feed.subscribed + ' subscribed)'],
      ['Frozen', feed.frozen + (feed.frozenUntil ? ', reset ' + inFuture(feed.frozenUntil, now) : ''), feed.frozen > 0 ? 'bad' : ''],
      ['Latest seq', feed.latestSequence],
      ['Upgrades ok / refused', feed.upgradesAccepted + ' / ' + feed.upgradesRejected]
    ]);
    const closes = (feed.recentCloses || []).map((c) =>
      el('li', {}, time(c.at) + '  ' + c.code + (c.reason ? ' ' + c.reason : '') + '  ' + c.path));
    document.getElementById('feed-closes').replaceChildren(...closes);
  }

  function renderBoard(board) {
    const rows = (board.quotes || []).map((q) => {
      const row = el('tr');
      row.append(el('td', { class: 'mono' }, q.symbol));
      row.append(el('td', { class: 'num' }, q.price.toFixed(2)));
      row.append(el('td', { class: 'num ' + (q.change >= 0 ? 'up' : 'down') }, (q.change >= 0 ? '+' : '') + q.change.toFixed(2)));
      row.append(el('td', { class: 'num mono' }, q.seq));
      return row;
    });
    document.getElementById('quotes').replaceChildren(...rows);
    const s = board.lastSubscription;
    let subscription = '–';
    if (s) {
      subscription = s.from == null ? 'live (no position yet)' : 'resumed after ' + s.from + ', ' + s.replayed + ' replayed';
    }
    facts(document.getElementById('board-stats'), [
      ['Ticks', board.ticks],
      ['Last seq', board.lastSequence],
      ['Duplicates seen', board.duplicates, board.duplicates > 0 ? 'bad' : ''],
      ['Gaps seen', board.gaps + (board.missing ? ' (' + board.missing + ' ticks)' : ''), board.gaps > 0 ? 'bad' : ''],
      ['Subscriptions', board.subscriptions],
      ['Last subscription', subscription]
    ]);
  }

  function render(state) {
    const now = Date.now();
    (state.connections || []).forEach((c) => renderConnection(c, now));
    renderFeed(state.feed, now);
    renderBoard(state.board || {});
    latest = state;
  }

  // ---- wiring ----

  document.querySelectorAll('#feed [data-action]').forEach((button) => {
    button.addEventListener('click', async () => {
      const action = button.dataset.action;
      const seconds = button.dataset.seconds;
      try {
        await post('feed/' + action + (seconds ? '?seconds=' + seconds : ''));
        say('feed: ' + button.textContent + ' (POST /feed/' + action + (seconds ? '?seconds=' + seconds : '') + ')');
      } catch (e) {
        say('feed: ' + action + ' failed: ' + e.message);
      }
    });
  });

  const status = document.getElementById('stream-status');
  const events = new EventSource('dashboard/events');
  events.addEventListener('open', () => {
    status.textContent = 'live';
    status.className = 'pill pill-green';
  });
  events.addEventListener('error', () => {
    status.textContent = 'reconnecting…';
    status.className = 'pill pill-amber';
  });
  events.addEventListener('state', (e) => render(JSON.parse(e.data)));

  // Re-render the relative times between pushes.
  setInterval(() => { if (latest) render(latest); }, 500);
})();
