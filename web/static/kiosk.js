// Kiosk mode (kiosk.go): after data-idle seconds without a touch, a key
// or scrolling, go back to the empty start page, replacing this history
// entry; a page brought back from the back-forward cache is loaded again,
// so it never shows what the previous person typed.
(function () {
  var idle = Number(document.body.getAttribute('data-idle') || 0);
  window.addEventListener('pageshow', function (e) {
    if (e.persisted) location.reload();
  });
  if (!idle) return;
  var timer;
  function arm() {
    clearTimeout(timer);
    timer = setTimeout(function () { location.replace('/kiosk'); }, idle * 1000);
  }
  ['pointerdown', 'keydown', 'input', 'scroll'].forEach(function (name) {
    document.addEventListener(name, arm, { passive: true });
  });
  arm();
})();
