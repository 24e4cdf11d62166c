// Select-to-comment on a draft unit's page: selecting words of the unit's
// text shows a button that quotes them ("> …") into the input form's
// reason field. Without this script the form works as it is; the button
// exists only when the script runs.
(function () {
  var text = document.querySelector(".unit-text[data-quote]"), body = document.querySelector('#beri textarea[name="body"]');
  if (!text || !body || !window.getSelection) return;
  var btn = document.createElement("button");
  btn.type = "button";
  btn.className = "quote-button";
  btn.textContent = text.getAttribute("data-quote");
  btn.hidden = true;
  text.parentNode.insertBefore(btn, text.nextSibling);
  var picked = "";
  function within(node) {
    return node && text.contains(node.nodeType === 1 ? node : node.parentNode);
  }
  document.addEventListener("selectionchange", function () {
    var sel = window.getSelection(), s = sel ? sel.toString().trim() : "";
    if (s && sel.rangeCount && within(sel.anchorNode) && within(sel.focusNode)) {
      picked = s;
      btn.hidden = false;
    } else if (document.activeElement !== btn) {
      btn.hidden = true;
    }
  });
  btn.addEventListener("click", function () {
    if (!picked) return;
    var quote = "> " + picked.replace(/\s+/g, " ") + "\n\n";
    body.value = body.value ? body.value.replace(/\s*$/, "\n\n") + quote : quote;
    btn.hidden = true;
    body.focus();
    body.setSelectionRange(body.value.length, body.value.length);
  });
})();
