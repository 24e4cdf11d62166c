// The complaint form's area picker: once a kecamatan is chosen, the
// kelurahan list shows only that kecamatan's kelurahan. Without this
// script both lists work as they are and the server checks that they
// agree.
(function () {
  var kec = document.getElementById("kecamatan"), kel = document.getElementById("kelurahan");
  if (!kec || !kel) return;
  var groups = Array.prototype.slice.call(kel.querySelectorAll("optgroup"));
  function sync() {
    groups.forEach(function (g) {
      var on = !kec.value || g.label === kec.value;
      g.hidden = !on;
      g.disabled = !on;
    });
    var sel = kel.options[kel.selectedIndex];
    if (sel && sel.parentNode.tagName === "OPTGROUP" && sel.parentNode.disabled) kel.value = "";
  }
  kec.addEventListener("change", sync);
  kel.addEventListener("change", function () {
    var sel = kel.options[kel.selectedIndex];
    if (sel && sel.parentNode.tagName === "OPTGROUP") kec.value = sel.parentNode.label;
  });
  sync();
})();
