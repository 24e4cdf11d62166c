// live.js makes the live session pages live over the websocket described in
// realtime/PROTOCOL.md. Without it every page still works with plain forms.
// The participant page applies events by id and version; the presenter and
// moderator pages (few viewers) re-read their own HTML when events arrive and
// patch only the nodes that changed (morph.js-style, keyed by id), so a
// button or a half-filled form the viewer is using is never swapped out
// under them. One re-read runs at a time; an event during it queues one
// more. #live[data-live] tells the state: "connecting" (no socket yet),
// "updating" (a re-read is pending) or "ready"; a node the viewer is using
// is patched once the focus leaves it.
(function () {
  "use strict";
  var root = document.getElementById("live");
  if (!root || !window.WebSocket) { return; }
  var role = root.dataset.role, channel = root.dataset.channel;
  var last = null, backoff = 500, questions = {}, session = null, polls = {};
  var mine = { upvoted: [], answers: {}, asked: [] };
  // counts in the page's language, as the server writes them (forum/locale): 1.234 in id, 1,234 in en
  var nf = new Intl.NumberFormat(document.documentElement.lang === "en" ? "en" : "id");
  try { mine = JSON.parse(root.dataset.mine || "null") || mine; } catch (e) { /* keep the default */ }

  var connected = false, refreshTimer = null, fetching = false, again = false, blocked = false;
  function status() {
    root.dataset.live = !connected ? "connecting" : (refreshTimer || fetching) ? "updating" : "ready";
  }

  function refresh() { // re-read the page's own HTML (presenter, moderator, structural changes)
    if (fetching) { again = true; return; } // the answer on its way may predate the event
    if (refreshTimer) { return; }
    refreshTimer = setTimeout(function () {
      refreshTimer = null;
      fetching = true;
      fetch(location.href, { credentials: "same-origin" }).then(function (r) {
        if (!r.ok) { throw new Error("status " + r.status); }
        return r.text();
      }).then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("live-body");
        var cur = document.getElementById("live-body");
        var st = { ok: true };
        if (fresh && cur) { patch(cur, fresh, st); blocked = !st.ok; bindForms(); }
      }).catch(function () {}).then(function () {
        fetching = false;
        if (again) { again = false; refresh(); }
        status();
      });
    }, role === "participant" ? 300 + Math.random() * 1500 : 250);
    status();
  }
  // A node the viewer is using (focus, or a changed field) waits for the
  // focus to leave before it is replaced.
  document.addEventListener("focusout", function () { if (blocked) { blocked = false; refresh(); } });

  function inUse(n) { // n holds the focus or a form field the viewer changed
    if (n.nodeType !== 1) { return false; }
    var a = document.activeElement;
    if (a && a !== document.body && n.contains(a)) { return true; }
    var fields = n.matches("input, textarea, select") ? [n] : n.querySelectorAll("input, textarea, select");
    return Array.prototype.some.call(fields, function (c) {
      if (c.type === "checkbox" || c.type === "radio") { return c.checked !== c.defaultChecked; }
      if (c.tagName === "SELECT") {
        return Array.prototype.some.call(c.options, function (o, i) {
          var dflt = o.defaultSelected || (!c.multiple && i === 0 && !c.querySelector("option[selected]"));
          return o.selected !== dflt;
        });
      }
      return c.type !== "hidden" && c.value !== c.defaultValue;
    });
  }

  function sameKind(a, b) {
    return a.nodeType === b.nodeType && a.nodeName === b.nodeName && (a.nodeType !== 1 || a.id === b.id);
  }

  // patch makes cur look like fresh (from another document), keeping every
  // node whose markup is unchanged and the form fields' current values. It
  // answers the node now in cur's place; st.ok turns false when a node in
  // use had to stay as it was.
  function patch(cur, fresh, st) {
    if (cur.isEqualNode(fresh)) { return cur; }
    if (!sameKind(cur, fresh)) {
      if (inUse(cur)) { st.ok = false; return cur; }
      var n = document.importNode(fresh, true);
      cur.replaceWith(n);
      return n;
    }
    if (cur.nodeType !== 1) { cur.nodeValue = fresh.nodeValue; return cur; }
    Array.prototype.slice.call(cur.attributes).forEach(function (a) { // an opened <details> stays open
      if (!fresh.hasAttribute(a.name) && !(a.name === "open" && cur.nodeName === "DETAILS")) { cur.removeAttribute(a.name); }
    });
    Array.prototype.forEach.call(fresh.attributes, function (a) {
      if (cur.getAttribute(a.name) !== a.value) { cur.setAttribute(a.name, a.value); }
    });
    patchChildren(cur, fresh, st);
    return cur;
  }

  // patchChildren matches children by id, the others in order, then
  // removes and moves what it must.
  function patchChildren(cur, fresh, st) {
    var old = Array.prototype.slice.call(cur.childNodes), byId = {}, used = new Set(), next = [], j = 0;
    var keyed = function (n) { return n.nodeType === 1 && !!n.id; };
    old.forEach(function (n) { if (keyed(n)) { byId[n.id] = n; } });
    Array.prototype.forEach.call(fresh.childNodes, function (f) {
      var m = keyed(f) && byId[f.id] && !used.has(byId[f.id]) ? byId[f.id] : null;
      for (var k = j; !keyed(f) && k < old.length; k++) {
        if (!used.has(old[k]) && !keyed(old[k]) && sameKind(old[k], f)) { m = old[k]; j = k + 1; break; }
      }
      if (!m) { next.push(document.importNode(f, true)); return; }
      used.add(m);
      next.push(patch(m, f, st));
    });
    old.forEach(function (n) {
      if (used.has(n)) { return; }
      if (inUse(n)) { st.ok = false; } else { n.remove(); }
    });
    next.forEach(function (n, i) {
      if (cur.childNodes[i] !== n) { cur.insertBefore(n, cur.childNodes[i] || null); }
    });
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  function renderQuestions() {
    var list = document.getElementById("questions");
    if (!list || role !== "participant") { return; }
    var qs = Object.keys(questions).map(function (k) { return questions[k]; });
    if (root.dataset.sort === "new") { qs.sort(function (a, b) { return b.id - a.id; }); }
    else { qs.sort(function (a, b) { return (b.upvotes - a.upvotes) || (a.id - b.id); }); }
    var d = root.dataset, frag = document.createDocumentFragment();
    qs.forEach(function (q) {
      var li = el("li"); li.id = "q" + q.id;
      var t = el("p", "q-text", q.text); t.dir = "auto"; li.appendChild(t);
      var meta = el("p", "q-meta"); meta.appendChild(el("span", "", q.author || d.lAnonymous));
      if (q.answered) { meta.appendChild(document.createTextNode(" · ")); meta.appendChild(el("span", "q-answered", d.lAnswered)); }
      li.appendChild(meta);
      var on = mine.upvoted.indexOf(q.id) >= 0;
      var f = el("form", "upvote"); f.method = "post"; f.action = "/live/" + d.code + "/upvote";
      [["csrf", d.csrf], ["question", q.id], ["on", on ? "0" : "1"]].forEach(function (kv) {
        var i = el("input"); i.type = "hidden"; i.name = kv[0]; i.value = kv[1]; f.appendChild(i);
      });
      var b = el("button"); b.type = "submit"; b.setAttribute("aria-pressed", on ? "true" : "false");
      b.disabled = !!(session && !session.open);
      b.appendChild(el("span", "q-count", nf.format(q.upvotes)));
      b.appendChild(document.createTextNode(" ▲ " + (on ? d.lUnvote : d.lUpvote)));
      f.appendChild(b); li.appendChild(f); frag.appendChild(li);
    });
    if (!qs.length) { frag.appendChild(el("li", "empty", d.lEmpty)); }
    var fresh = list.cloneNode(false); // patched in, so a button under the pointer stays put
    fresh.appendChild(frag);
    patchChildren(list, fresh, { ok: true });
    bindForms();
  }

  function renderStage() {
    var box = document.getElementById("stage");
    if (!box || role !== "participant" || !session) { return; }
    var q = session.stage_question_id && questions[session.stage_question_id], fresh = box.cloneNode(false);
    if (q) { fresh.appendChild(el("h2", "", root.dataset.stage)); var p = el("p", "stage-text", q.text); p.dir = "auto"; fresh.appendChild(p); }
    patchChildren(box, fresh, { ok: true });
  }

  function renderResult(p) { // update a shown result's numbers in place
    var box = document.querySelector('.live-result[data-poll="' + p.id + '"]');
    if (!box || !p.result) { return false; }
    var r = p.result, rows = [];
    if (r.count) { rows = r.count.votes.map(function (n, i) { return [n, r.count.shares[i]]; }); }
    else if (r.rating) { rows = r.rating.distribution.map(function (n, i) { return [n, r.rating.shares[i]]; }); }
    else { return false; }
    var items = box.querySelectorAll(".bars tbody tr");
    if (items.length !== rows.length) { return false; }
    rows.forEach(function (row, i) {
      items[i].querySelector(".bar-count").textContent = nf.format(row[0]);
      items[i].querySelector(".bar-share").textContent = Math.round(row[1] * 100) + "%";
      items[i].querySelector("progress").value = row[1];
    });
    var c = box.querySelector(".counts"); if (c) { c.textContent = c.textContent.replace(/\d[\d.,]*/, nf.format(p.answers)); }
    return true;
  }

  var renderTimer = null;
  function render() {
    if (renderTimer) { return; }
    renderTimer = requestAnimationFrame(function () { renderTimer = null; renderQuestions(); renderStage(); });
  }

  function apply(m) {
    if (m.type === "welcome") { last = m.seq; backoff = 500; connected = true; status(); return; }
    if (m.type === "snapshot") {
      questions = {}; polls = {};
      (m.data.questions || []).forEach(function (q) { questions[q.id] = q; });
      (m.data.polls || []).forEach(function (p) { polls[p.id] = p; });
      session = m.data.session; render();
      if (role !== "participant") { refresh(); } // events may have come between the page and the socket
      return;
    }
    if (m.seq > 0) { if (last !== null && m.seq <= last) { return; } last = m.seq; }
    var d = m.data || {};
    if (role !== "participant") { if (m.type !== "mine") { refresh(); } return; }
    switch (m.type) {
      case "question":
        if (questions[d.id] && questions[d.id].version >= d.version) { return; }
        if (d.removed) { delete questions[d.id]; } else { questions[d.id] = d; }
        render();
        if (asked().indexOf("," + d.id + ":") >= 0) { refresh(); } // "my questions" shows its status
        break;
      case "upvotes": // the session's changed counts, coalesced
        var changed = false;
        (d.questions || []).forEach(function (u) {
          var q = questions[u.id];
          if (q && q.version < u.version) { q.upvotes = u.upvotes; q.version = u.version; changed = true; }
        });
        if (changed) { render(); }
        break;
      case "session":
        if (session && session.open !== d.open) { refresh(); }
        session = d; render(); break;
      case "poll":
        var old = polls[d.id];
        if (old && old.version >= d.version) { return; }
        polls[d.id] = d;
        if (!old || d.removed || old.state !== d.state || old.shown !== d.shown || !renderResult(d)) { refresh(); }
        break;
      case "mine":
        var before = asked();
        mine = d; render();
        if (asked() !== before) { refresh(); }
        break;
      case "upvoted":
        upvoted(d); break;
    }
  }

  // asked is the viewer's own question ids and statuses as ",id:status,...,":
  // a change re-reads the page's "my questions" list.
  function asked() {
    return "," + (mine.asked || []).map(function (q) { return q.id + ":" + q.status + ":" + q.answered; }).join(",") + ",";
  }

  // upvoted applies one committed upvote of the viewer's: {question, on}.
  function upvoted(u) {
    var i = mine.upvoted.indexOf(u.question);
    if (u.on && i < 0) { mine.upvoted.push(u.question); } else if (!u.on && i >= 0) { mine.upvoted.splice(i, 1); } else { return; }
    render();
  }

  // revoked tells the viewer that their access ended (close code 4003,
  // realtime/PROTOCOL.md) in a status notice at the top of el.
  function revoked(el) {
    el.dataset.live = "revoked";
    var p = document.createElement("p");
    p.className = "notice";
    p.setAttribute("role", "alert");
    p.textContent = el.dataset.lRevoked || "";
    el.insertBefore(p, el.firstChild);
  }

  function connect() {
    var proto = location.protocol === "https:" ? "wss://" : "ws://";
    var url = proto + location.host + "/live/ws?channel=" + encodeURIComponent(channel) + (last !== null ? "&since=" + last : "");
    var ws = new WebSocket(url), ping = null;
    ws.onopen = function () { ping = setInterval(function () { ws.send('{"type":"ping"}'); }, 20000); };
    ws.onmessage = function (e) { try { apply(JSON.parse(e.data)); } catch (err) { /* ignore a bad frame */ } };
    ws.onclose = function (e) {
      clearInterval(ping);
      connected = false;
      if (e.code === 4003) { revoked(root); return; } // access ended: say so, do not reconnect
      status();
      // 4002: this node is shutting down; another one takes the reconnect (realtime/PROTOCOL.md)
      var wait = (e.code === 4000 || e.code === 4001) ? 0 : e.code === 4002 ? Math.random() * 1000 : backoff * (0.5 + Math.random());
      backoff = Math.min(backoff * 2, 15000);
      setTimeout(connect, wait);
    };
  }

  var bound = new WeakSet(); // not an attribute: patch would take it away
  function bindForms() { // upvotes go through fetch so the page does not reload
    document.querySelectorAll("form.upvote").forEach(function (f) {
      if (bound.has(f)) { return; }
      bound.add(f);
      f.addEventListener("submit", function (ev) {
        ev.preventDefault();
        fetch(f.action, { method: "POST", body: new URLSearchParams(new FormData(f)), credentials: "same-origin",
          headers: { "Accept": "application/json" } }).then(function (r) { return r.json(); }).then(function (j) {
          if (j.upvoted) { upvoted(j.upvoted); } else if (j.mine) { mine = j.mine; render(); } else if (j.error) { alert(j.error.message); }
        }).catch(function () { f.submit(); });
      });
    });
  }

  bindForms();
  status();
  if (role === "mod") { setInterval(refresh, 10000); }
  connect();
})();
