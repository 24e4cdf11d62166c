// comments.js expands a proposal's collapsed comment threads in place: the
// "show more" link (which pages without JavaScript) fetches the next page
// and swaps in its list, keeping the reader where they were.
(function () {
  "use strict";
  document.addEventListener("click", function (ev) {
    var a = ev.target.closest && ev.target.closest(".more-threads a");
    if (!a || !window.fetch || !window.DOMParser) { return; }
    ev.preventDefault();
    fetch(a.href, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) { throw new Error("status " + r.status); }
      return r.text();
    }).then(function (html) {
      var doc = new DOMParser().parseFromString(html, "text/html");
      var fresh = doc.querySelector("ol.comments"), cur = document.querySelector("ol.comments");
      if (!fresh || !cur) { throw new Error("no comments"); }
      cur.replaceWith(document.importNode(fresh, true));
      var more = doc.querySelector(".more-threads"), box = a.closest(".more-threads");
      if (more) { box.replaceWith(document.importNode(more, true)); } else { box.remove(); }
      var first = document.getElementById(a.hash.slice(1));
      if (first) { first.tabIndex = -1; first.focus(); }
    }).catch(function () { location.href = a.href; });
  });
})();
