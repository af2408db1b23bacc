// Progressive help for the staff pages; everything works without it.
// Paper entry: after typing a digit 0-5 in an answer box, move to the next box.
document.addEventListener("input", function (event) {
  var el = event.target;
  if (!el || !el.matches || !el.matches("input[data-digit]")) { return; }
  if (!/^[0-5]$/.test(el.value)) { return; }
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input[data-digit]"));
  var next = boxes[boxes.indexOf(el) + 1];
  if (next) { next.focus(); next.select(); } else {
    var after = document.querySelector("[data-after-digits]");
    if (after) { after.focus(); }
  }
});
// Posters: a print button.
document.addEventListener("click", function (event) {
  var el = event.target.closest ? event.target.closest("[data-print]") : null;
  if (el) { event.preventDefault(); window.print(); }
});
