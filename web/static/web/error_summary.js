// A long form back with errors: its summary (partials/error_summary.html) takes the keyboard
// focus when the page loads, so that a screen reader reads it first and Tab goes on from there
// (docs/design.md "Forms and accessibility"). A link of the summary puts the focus in its field
// and shows the field's label, which following "#id" alone would not do.
(function () {
  var summary = document.getElementById("error-summary");
  if (!summary) { return; }
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    var field = link && document.getElementById(link.getAttribute("href").slice(1));
    if (!field) { return; }
    event.preventDefault();
    var group = field.closest("fieldset");
    var label = document.querySelector("label[for='" + field.id + "']");
    var shown = (group && group.querySelector("legend")) || label || field;
    shown.scrollIntoView();
    field.focus({ preventScroll: true });
  });
})();
