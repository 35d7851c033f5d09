// The menu collapses behind a button on narrow screens (without JavaScript it stays open).
(function () {
  var button = document.querySelector(".menu-button");
  var menu = document.getElementById("site-menu");
  if (!button || !menu) return;
  var narrow = window.matchMedia("(max-width: 820px)");
  function fit() {
    button.hidden = !narrow.matches;
    var open = !narrow.matches || button.getAttribute("aria-expanded") === "true";
    menu.classList.toggle("closed", !open);
  }
  button.addEventListener("click", function () {
    var open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", String(open));
    fit();
  });
  narrow.addEventListener("change", fit);
  fit();
})();
