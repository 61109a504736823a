// Progressive enhancement only: without this file the menu is simply always open.
(function () {
  "use strict";
  var toggle = document.querySelector(".nav-toggle");
  var menu = document.getElementById("main-menu");
  if (toggle && menu) {
    // The stylesheet already shows the toggle and folds the menu where scripts run.
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") === "true";
      toggle.setAttribute("aria-expanded", String(!open));
      menu.classList.toggle("open", !open);
    });
  }
  var submenus = document.querySelectorAll("details.submenu");
  function closeOthers(keep) {
    submenus.forEach(function (d) { if (d !== keep) { d.open = false; } });
  }
  submenus.forEach(function (d) {
    d.addEventListener("toggle", function () { if (d.open) { closeOthers(d); } });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    submenus.forEach(function (d) {
      if (d.open) { d.open = false; d.querySelector("summary").focus(); }
    });
  });
  document.addEventListener("click", function (event) {
    submenus.forEach(function (d) { if (d.open && !d.contains(event.target)) { d.open = false; } });
  });
})();
