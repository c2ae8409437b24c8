// The "Print" button of the summary (a file, not an onclick attribute: the Content-Security-Policy
// allows no inline script). Without JavaScript the browser's own print command does the same.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) {
      window.print();
    }
  });
})();
