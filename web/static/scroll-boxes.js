// A box that scrolls sideways (a wide table on a phone) can be reached and scrolled with the
// keyboard: it gets tabindex="0" (and, unless it is the table itself, a region role and a name).
(function () {
  function mark() {
    var boxes = document.querySelectorAll("main .wide, main .scroll, main .overflow-auto, main table");
    boxes.forEach(function (box) {
      if (box.scrollWidth <= box.clientWidth + 1 || box.hasAttribute("tabindex")) return;
      box.setAttribute("tabindex", "0");
      if (box.tagName !== "TABLE" && !box.hasAttribute("role")) {
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", "Bảng cuộn ngang (dùng phím mũi tên để cuộn)");
      }
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mark);
  else mark();
  window.addEventListener("resize", mark);
})();
