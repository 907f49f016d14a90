// After "thank you", the tablet goes back to the buttons for the next citizen.
(function () {
  var back = document.querySelector("[data-return-after]");
  if (back) {
    setTimeout(function () { window.location.replace(back.getAttribute("href")); },
               parseInt(back.getAttribute("data-return-after"), 10) * 1000);
  }
})();
