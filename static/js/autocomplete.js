/* The unit picker (core.widgets.UnitAutocompleteWidget): each <select data-autocomplete-url> gets a text box
   before it; what is typed is searched at that URL (?q=…&region=…), the matches are listed below the box, and the
   unit picked becomes the select's value. The select itself stays in the form (hidden), so the form posts the id
   as it would from an ordinary select. Our own file: the CSP allows no inline script. */
(function () {
  "use strict";

  var DELAY_MS = 200;

  function enhance(select) {
    if (select.dataset.autocompleteReady) {
      return;
    }
    select.dataset.autocompleteReady = "1";
    var box = document.createElement("input");
    var list = document.createElement("ul");
    var timer = null;
    var active = -1;
    var request = 0;

    box.type = "search";
    box.id = select.id + "_search";
    box.className = "autocomplete-input";
    box.autocomplete = "off";
    box.placeholder = select.dataset.autocompletePlaceholder || "";
    box.setAttribute("role", "combobox");
    box.setAttribute("aria-autocomplete", "list");
    box.setAttribute("aria-expanded", "false");
    box.setAttribute("aria-controls", select.id + "_list");
    box.required = select.required;
    list.id = select.id + "_list";
    list.className = "autocomplete-list";
    list.setAttribute("role", "listbox");
    list.hidden = true;

    var chosen = select.options[select.selectedIndex];
    if (chosen && chosen.value) {
      box.value = chosen.text;
    }
    var wrapper = document.createElement("span");
    wrapper.className = "autocomplete";
    select.parentNode.insertBefore(wrapper, select);
    wrapper.appendChild(box);
    wrapper.appendChild(list);
    wrapper.appendChild(select);
    select.classList.add("autocomplete-select");
    select.required = false; /* the box carries "required": a hidden select cannot show the browser's message */
    select.tabIndex = -1;
    var label = document.querySelector('label[for="' + select.id + '"]');
    if (label) {
      label.htmlFor = box.id;
    }

    function close() {
      list.hidden = true;
      list.textContent = "";
      active = -1;
      box.setAttribute("aria-expanded", "false");
    }

    function pick(id, text) {
      select.textContent = "";
      select.appendChild(new Option("", ""));
      select.appendChild(new Option(text, id, true, true));
      box.value = text;
      close();
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function clear() {
      if (select.value) {
        select.value = "";
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }
    }

    function highlight(index) {
      var items = list.querySelectorAll("li[data-id]");
      if (!items.length) {
        return;
      }
      active = (index + items.length) % items.length;
      items.forEach(function (item, i) {
        item.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      items[active].scrollIntoView({ block: "nearest" });
    }

    function show(units) {
      list.textContent = "";
      active = -1;
      if (!units.length) {
        var none = document.createElement("li");
        none.className = "autocomplete-none";
        none.textContent = select.dataset.autocompleteEmpty || "";
        list.appendChild(none);
      }
      units.forEach(function (unit) {
        var item = document.createElement("li");
        item.setAttribute("role", "option");
        item.dataset.id = unit.id;
        item.textContent = unit.label;
        item.addEventListener("mousedown", function (event) {
          event.preventDefault(); /* keep the focus in the box until the click has picked */
          pick(String(unit.id), unit.label);
        });
        list.appendChild(item);
      });
      list.hidden = false;
      box.setAttribute("aria-expanded", "true");
    }

    function regionValue() {
      var name = select.dataset.autocompleteRegionField;
      if (!name || !select.form) {
        return "";
      }
      var field = select.form.elements.namedItem(name);
      return field && field.value ? field.value : "";
    }

    function search() {
      var text = box.value.trim();
      if (!text) {
        close();
        return;
      }
      var url = new URL(select.dataset.autocompleteUrl, window.location.href);
      url.searchParams.set("q", text);
      var region = regionValue();
      if (region) {
        url.searchParams.set("region", region);
      }
      var mine = ++request;
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(function (units) {
          if (mine === request && document.activeElement === box) {
            show(units);
          }
        })
        .catch(close);
    }

    box.addEventListener("input", function () {
      clear();
      window.clearTimeout(timer);
      timer = window.setTimeout(search, DELAY_MS);
    });
    box.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (list.hidden) {
          search();
        } else {
          highlight(active + (event.key === "ArrowDown" ? 1 : -1));
        }
      } else if (event.key === "Enter" && !list.hidden && active >= 0) {
        event.preventDefault(); /* picks; does not submit the form */
        var item = list.querySelectorAll("li[data-id]")[active];
        pick(item.dataset.id, item.textContent);
      } else if (event.key === "Escape") {
        close();
      }
    });
    box.addEventListener("blur", close);
  }

  function start() {
    document.querySelectorAll("select[data-autocomplete-url]").forEach(enhance);
  }

  /* A formset's "Add a line" (workflow.js) announces the new row: its pickers are enhanced too. */
  document.addEventListener("formset:added", function (event) {
    event.target.querySelectorAll("select[data-autocomplete-url]").forEach(enhance);
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
