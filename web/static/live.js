// live.js makes the live session pages live over the websocket described in
// realtime/PROTOCOL.md. Without it every page still works with plain forms.
// The participant page applies events by id and version; the presenter and
// moderator pages (few viewers) re-read their own HTML when events arrive.
(function () {
  "use strict";
  var root = document.getElementById("live");
  if (!root || !window.WebSocket) { return; }
  var role = root.dataset.role, channel = root.dataset.channel;
  var last = null, backoff = 500, questions = {}, session = null, polls = {};
  var mine = { upvoted: [], answers: {} };
  try { mine = JSON.parse(root.dataset.mine || "null") || mine; } catch (e) { /* keep the default */ }

  var refreshTimer = null;
  function refresh() { // re-read the page's own HTML (presenter, moderator, structural changes)
    if (refreshTimer) { return; }
    refreshTimer = setTimeout(function () {
      refreshTimer = null;
      fetch(location.href, { credentials: "same-origin" }).then(function (r) { return r.text(); }).then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.getElementById("live-body"), cur = document.getElementById("live-body");
        if (fresh && cur && !cur.contains(document.activeElement)) { cur.replaceWith(fresh); bindForms(); }
        else if (fresh && cur) { refresh(); }
      }).catch(function () {});
    }, role === "participant" ? 300 + Math.random() * 1500 : 250);
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
      b.appendChild(el("span", "q-count", String(q.upvotes)));
      b.appendChild(document.createTextNode(" ▲ " + (on ? d.lUnvote : d.lUpvote)));
      f.appendChild(b); li.appendChild(f); frag.appendChild(li);
    });
    if (!qs.length) { frag.appendChild(el("li", "empty", d.lEmpty)); }
    list.replaceChildren(frag);
    bindForms();
  }

  function renderStage() {
    var box = document.getElementById("stage");
    if (!box || role !== "participant" || !session) { return; }
    var q = session.stage_question_id && questions[session.stage_question_id];
    box.replaceChildren();
    if (q) { box.appendChild(el("h2", "", root.dataset.stage)); var p = el("p", "stage-text", q.text); p.dir = "auto"; box.appendChild(p); }
  }

  function renderResult(p) { // update a shown result's numbers in place
    var box = document.querySelector('.live-result[data-poll="' + p.id + '"]');
    if (!box || !p.result) { return false; }
    var r = p.result, rows = [];
    if (r.count) { rows = r.count.votes.map(function (n, i) { return [n, r.count.shares[i]]; }); }
    else if (r.rating) { rows = r.rating.distribution.map(function (n, i) { return [n, r.rating.shares[i]]; }); }
    else { return false; }
    var items = box.querySelectorAll(".bars li");
    if (items.length !== rows.length) { return false; }
    rows.forEach(function (row, i) {
      items[i].querySelector(".bar-n").textContent = row[0] + " · " + Math.round(row[1] * 100) + "%";
      items[i].querySelector("progress").value = row[1];
    });
    var c = box.querySelector(".counts"); if (c) { c.textContent = c.textContent.replace(/\d+/, String(p.answers)); }
    return true;
  }

  var renderTimer = null;
  function render() {
    if (renderTimer) { return; }
    renderTimer = requestAnimationFrame(function () { renderTimer = null; renderQuestions(); renderStage(); });
  }

  function apply(m) {
    if (m.type === "welcome") { last = m.seq; backoff = 500; return; }
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
        render(); break;
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
        mine = d; render(); break;
    }
  }

  function connect() {
    var proto = location.protocol === "https:" ? "wss://" : "ws://";
    var url = proto + location.host + "/live/ws?channel=" + encodeURIComponent(channel) + (last !== null ? "&since=" + last : "");
    var ws = new WebSocket(url), ping = null;
    ws.onopen = function () { ping = setInterval(function () { ws.send('{"type":"ping"}'); }, 20000); };
    ws.onmessage = function (e) { try { apply(JSON.parse(e.data)); } catch (err) { /* ignore a bad frame */ } };
    ws.onclose = function (e) {
      clearInterval(ping);
      var wait = (e.code === 4000 || e.code === 4001) ? 0 : backoff * (0.5 + Math.random());
      backoff = Math.min(backoff * 2, 15000);
      setTimeout(connect, wait);
    };
  }

  function bindForms() { // upvotes go through fetch so the page does not reload
    document.querySelectorAll("form.upvote").forEach(function (f) {
      if (f.dataset.bound) { return; }
      f.dataset.bound = "1";
      f.addEventListener("submit", function (ev) {
        ev.preventDefault();
        fetch(f.action, { method: "POST", body: new URLSearchParams(new FormData(f)), credentials: "same-origin",
          headers: { "Accept": "application/json" } }).then(function (r) { return r.json(); }).then(function (j) {
          if (j.mine) { mine = j.mine; render(); } else if (j.error) { alert(j.error); }
        }).catch(function () { f.submit(); });
      });
    });
  }

  bindForms();
  if (role === "mod") { setInterval(refresh, 10000); }
  connect();
})();
