// dashboard.js keeps /admin/dasbor and /dasbor up to date over the
// websocket described in realtime/PROTOCOL.md (channel "dasbor" or
// "dasbor-publik"). A "changed" event says the figures changed; the script
// then loads the same page again (same filters, same access rule) and swaps
// in its figures. Without it the page is as fresh as its last load, and
// the refresh link reloads it.
(function () {
  "use strict";
  var box = document.getElementById("dash-live");
  if (!box || !box.dataset.channel || !window.WebSocket || !window.DOMParser || !window.fetch) { return; }
  var channel = box.dataset.channel, last = null, backoff = 500, loading = false, again = false;

  function reload() {
    if (loading) { again = true; return; }
    loading = true;
    fetch(location.href, { credentials: "same-origin" }).then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (!html) { return; }
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("dash-live");
        if (fresh) {
          box.replaceChildren.apply(box, Array.prototype.slice.call(fresh.childNodes));
          box.dispatchEvent(new CustomEvent("dash-live-update", { bubbles: true }));
        }
      }).catch(function () {}).then(function () {
        loading = false;
        if (again) { again = false; reload(); }
      });
  }

  function apply(m) {
    if (m.type === "welcome") { last = m.seq; return; }
    if (m.type === "changed" && m.seq > 0) {
      if (last !== null && m.seq <= last) { return; }
      last = m.seq;
      reload();
    }
  }

  function connect() {
    var proto = location.protocol === "https:" ? "wss://" : "ws://";
    var url = proto + location.host + "/dasbor/ws?channel=" + encodeURIComponent(channel) + (last !== null ? "&since=" + last : "");
    var ws = new WebSocket(url), ping = null;
    ws.onopen = function () { backoff = 500; box.dataset.live = "1"; ping = setInterval(function () { ws.send('{"type":"ping"}'); }, 20000); };
    ws.onmessage = function (e) { try { apply(JSON.parse(e.data)); } catch (err) { /* ignore a bad frame */ } };
    ws.onclose = function (e) {
      if (ping) { clearInterval(ping); }
      box.dataset.live = "";
      if (e.code === 4003) { return; } // access ended: the page's own link still works
      // 4002: this node is shutting down; another one takes the reconnect (realtime/PROTOCOL.md)
      var wait = (e.code === 4000 || e.code === 4001) ? 0 : e.code === 4002 ? Math.random() * 1000 : backoff + Math.random() * backoff;
      backoff = Math.min(backoff * 2, 30000);
      setTimeout(connect, wait);
    };
  }
  connect();
})();
