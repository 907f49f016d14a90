// The public site's behaviour, from a file: the Content-Security-Policy runs no inline script
// (docs/architecture.md §13). Without JavaScript every link still leads somewhere.
(function () {
  "use strict";

  // "Back to the previous page": history when there is one, the link's own page otherwise.
  document.querySelectorAll("a[data-history-back]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (window.history.length > 1) {
        event.preventDefault();
        window.history.back();
      }
    });
  });
})();
