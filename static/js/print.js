// A button marked data-print prints the page (no inline handler: the Content-Security-Policy forbids them).
"use strict";
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
