// The desk's behaviour, from a file: the Content-Security-Policy runs no inline script
// (docs/architecture.md §13). Data come from the page's data-* attributes.
(function () {
  "use strict";

  // Counter intake: a known CCCD prefills name, phone, e-mail and address from earlier dossiers
  // (never overwrites typing).
  var idNumber = document.querySelector("input[data-lookup-url]");
  if (idNumber) {
    idNumber.addEventListener("input", function () {
      var value = idNumber.value.replace(/\s/g, "");
      if (!/^\d{12}$/.test(value)) return;
      var note = document.getElementById("prefill-note");
      fetch(idNumber.getAttribute("data-lookup-url") + "?id_number=" + encodeURIComponent(value),
            {credentials: "same-origin"})
        .then(function (r) { return r.json(); })
        .then(function (data) {
          if (!data.found) { note.textContent = "Công dân mới."; return; }
          ["full_name", "phone", "email", "address"].forEach(function (name) {
            var field = document.getElementById(name);
            if (field && !field.value) field.value = data[name] || "";
          });
          note.textContent = "Đã điền sẵn từ hồ sơ trước của công dân.";
        });
    });
  }

  // Counter intake: the chosen procedure is written into the address (?thu_tuc=…) whenever its
  // checklist arrives, so that Back to this page — which reloads it, the htmx parts gone — gets
  // the procedure and its checklist from the server again.
  var intakeForm = document.getElementById("intake-form");
  if (intakeForm && window.history && window.history.replaceState) {
    document.body.addEventListener("htmx:afterSwap", function (event) {
      if (!event.detail || !event.detail.target || event.detail.target.id !== "checklist") return;
      var chosen = intakeForm.querySelector("input[name=procedure]:checked");
      if (!chosen) return;
      var url = new URL(window.location.href);
      url.searchParams.set("thu_tuc", chosen.value);
      window.history.replaceState(window.history.state, "", url.toString());
    });
  }

  // After a counter reception: the receipt opens by itself, ready to print (the link stays on
  // the page for a browser that blocks the window).
  var toOpen = document.querySelector("a[data-open-on-load]");
  if (toOpen) window.open(toOpen.href, "_blank");
})();
