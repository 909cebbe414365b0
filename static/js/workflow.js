/* Formsets of the workflow's and the reform's forms: "Add a line" copies the empty row, counts it in TOTAL_FORMS
   and announces it ("formset:added") so that its unit pickers are enhanced. */
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
    rows.lastElementChild.dispatchEvent(new CustomEvent("formset:added", { bubbles: true }));
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
