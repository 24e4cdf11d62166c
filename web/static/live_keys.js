// Keyboard shortcuts for the live session's moderator page (live_mod.html).
// They act only while focus is inside the question list (WCAG 2.1.4:
// single-key shortcuts active on focus only): j/k move between questions,
// a approves, h hides, s puts on stage (highlight), d marks answered,
// x archives, by clicking the question's own button, so the page's forms
// and live.js do the rest.
(function () {
  "use strict";
  var actions = { a: "approve", h: "hide", s: "highlight", d: "answered", x: "archive" };
  var current = null; // id of the selected question's <li>
  function list() { return document.getElementById("questions"); }
  function items() { var l = list(); return l ? Array.prototype.slice.call(l.querySelectorAll("li[id^=q]")) : []; }
  function select(li) {
    items().forEach(function (e) { e.classList.remove("q-selected"); });
    if (!li) return;
    current = li.id;
    li.classList.add("q-selected");
    li.focus();
  }
  document.addEventListener("keydown", function (ev) {
    var l = list();
    if (!l || !l.contains(document.activeElement) || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    var tag = document.activeElement.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") return;
    var all = items(), li = document.activeElement.closest("li[id^=q]") || document.getElementById(current);
    var i = all.indexOf(li), key = ev.key.toLowerCase();
    if (key === "j" || key === "k") {
      ev.preventDefault();
      select(all[Math.max(0, Math.min(all.length - 1, i + (key === "j" ? 1 : -1)))] || all[0]);
      return;
    }
    var act = actions[key];
    if (!act || !li) return;
    var b = li.querySelector('button[name="do"][value="' + act + '"]');
    if (b) { ev.preventDefault(); current = li.id; b.click(); }
  });
  // live.js swaps the page body on updates: keep the selection.
  document.addEventListener("DOMContentLoaded", function () {
    var body = document.getElementById("live-body");
    if (!body || !window.MutationObserver) return;
    new MutationObserver(function () {
      var li = current && document.getElementById(current);
      if (li && !li.classList.contains("q-selected")) { li.classList.add("q-selected"); }
    }).observe(body, { childList: true });
  });
})();
