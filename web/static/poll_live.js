// poll_live.js keeps a results page (/survei/{id}/results) up to date over
// the websocket described in realtime/PROTOCOL.md (channel "poll-<id>").
// Each "results" event and each snapshot carry the page's results part,
// rendered by the server in every language; the script swaps it in. Without
// it the page is the same, as fresh as its last load.
(function () {
  "use strict";
  var box = document.getElementById("poll-live");
  if (!box || !box.dataset.channel || !window.WebSocket || !window.DOMParser) { return; }
  var channel = box.dataset.channel, lang = box.dataset.lang || "id";
  var last = null, backoff = 500;

  function show(data) {
    var html = data && data.html && data.html[lang];
    if (typeof html !== "string") { return; }
    var doc = new DOMParser().parseFromString("<div>" + html + "</div>", "text/html");
    var fresh = doc.body.firstChild;
    if (!fresh) { return; }
    box.replaceChildren.apply(box, Array.prototype.slice.call(fresh.childNodes));
    box.dispatchEvent(new CustomEvent("poll-live-update", { bubbles: true }));
  }

  function apply(m) {
    if (m.type === "welcome") { last = m.seq; return; }
    if (m.type === "snapshot") { show(m.data); return; }
    if (m.type === "results" && m.seq > 0) {
      if (last !== null && m.seq <= last) { return; }
      last = m.seq;
      show(m.data);
    }
  }

  function connect() {
    var proto = location.protocol === "https:" ? "wss://" : "ws://";
    var url = proto + location.host + "/survei/ws?channel=" + encodeURIComponent(channel) + (last !== null ? "&since=" + last : "");
    var ws = new WebSocket(url), ping = null;
    ws.onopen = function () { backoff = 500; ping = setInterval(function () { ws.send('{"type":"ping"}'); }, 20000); };
    ws.onmessage = function (e) { try { apply(JSON.parse(e.data)); } catch (err) { /* ignore a bad frame */ } };
    ws.onclose = function (e) {
      if (ping) { clearInterval(ping); }
      if (e.code === 4003) { // access ended (realtime/PROTOCOL.md): say so, do not reconnect
        var p = document.createElement("p");
        p.className = "notice";
        p.setAttribute("role", "alert");
        p.textContent = box.dataset.lRevoked || "";
        box.parentNode.insertBefore(p, box);
        return;
      }
      // 4002: this node is shutting down; another one takes the reconnect (realtime/PROTOCOL.md)
      var wait = (e.code === 4000 || e.code === 4001) ? 0 : e.code === 4002 ? Math.random() * 1000 : backoff + Math.random() * backoff;
      backoff = Math.min(backoff * 2, 30000);
      setTimeout(connect, wait);
    };
  }
  connect();
})();
