// The services of an adhesion or substitution form: Payer's nine boxes go together (one
// titular for all of them), and the company e-mail / bank account fields show only when the
// service that needs them is ticked. Without JavaScript every field shows, and the server
// maps any Payer box to Payer as a whole all the same.
(function () {
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input[data-service]"));
  var sections = Array.prototype.slice.call(document.querySelectorAll("[data-shown-with]"));

  function refresh() {
    var ticked = {};
    boxes.forEach(function (box) {
      if (box.checked) { ticked[box.dataset.service] = true; }
    });
    sections.forEach(function (section) {
      section.hidden = !ticked[section.dataset.shownWith];
    });
  }

  boxes.forEach(function (box) {
    box.addEventListener("change", function () {
      boxes.forEach(function (other) {
        if (other !== box && other.dataset.service === box.dataset.service && !other.disabled) {
          other.checked = box.checked;
        }
      });
      refresh();
    });
  });
  refresh();
})();
