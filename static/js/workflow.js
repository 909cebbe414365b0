/* Formsets of the workflow's forms: "Add a line" copies the empty row and counts it in TOTAL_FORMS. */
(function () {
  "use strict";
  function addRow(fieldset) {
    var prefix = fieldset.getAttribute("data-prefix");
    var total = fieldset.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    var template = fieldset.querySelector("template.formset-empty");
    var rows = fieldset.querySelector(".formset-rows");
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("fieldset.formset").forEach(function (fieldset) {
      var button = fieldset.querySelector("button.formset-add");
      if (button) {
        button.addEventListener("click", function () { addRow(fieldset); });
      }
    });
  });
})();
