// tejun default theme: small enhancements; every page works without them.
(function () {
  "use strict";

  // The step the reader is on: the one in the address, else the first one whose
  // heading is still on screen.
  function currentStepId() {
    if (/^#step-/.test(location.hash)) return location.hash.slice(1);
    var steps = document.querySelectorAll(".step");
    for (var i = 0; i < steps.length; i++) {
      var box = steps[i].getBoundingClientRect();
      if (box.bottom > 80) return steps[i].id;
    }
    return null;
  }

  // The language switch lands on the same step of the translated page.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".langswitch a[data-keep-step='true']");
    if (!link) return;
    var id = currentStepId();
    if (id) link.setAttribute("href", link.getAttribute("href").split("#")[0] + "#" + id);
  });

  // The variant switch lands on the same step in the other manual, or on the nearest
  // earlier step it has when it leaves this one out.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".variantswitch a[href]");
    if (!link) return;
    // A section the address names counts as the place too.
    var id = location.hash.length > 1 ? decodeURIComponent(location.hash.slice(1)) : currentStepId();
    if (!id) return;
    var fallback = {};
    try { fallback = JSON.parse(link.getAttribute("data-fallback") || "{}"); } catch (e) {}
    if (Object.prototype.hasOwnProperty.call(fallback, id)) id = fallback[id];
    link.setAttribute("href", link.getAttribute("href").split("#")[0] + (id ? "#" + id : ""));
  });

  // A sub-step and its callout on the screenshot point at each other: hovering or
  // focusing one highlights both.
  function pairOf(el) {
    var step = el.closest(".step");
    if (!step) return null;
    var items = Array.prototype.slice.call(step.querySelectorAll(".step-body ol.substeps > li"));
    var marks = step.querySelectorAll(".callouts .callout");
    var n = el.classList.contains("callout") ? Number(el.getAttribute("data-callout")) : items.indexOf(el) + 1;
    return n > 0 ? [items[n - 1], marks[n - 1]] : null;
  }
  function highlight(event, on) {
    var el = event.target.closest && event.target.closest(".step-body ol.substeps > li, .callouts .callout");
    var pair = el && pairOf(el);
    if (!pair) return;
    pair.forEach(function (x) { if (x) x.classList.toggle("is-active", on); });
  }
  document.addEventListener("mouseover", function (e) { highlight(e, true); });
  document.addEventListener("mouseout", function (e) { highlight(e, false); });

  // Following a link on a phone closes the table of contents.
  document.addEventListener("click", function (event) {
    var toggle = document.getElementById("nav-toggle");
    if (toggle && toggle.checked && event.target.closest && event.target.closest(".sidebar a")) toggle.checked = false;
  });

  // Keep the current table-of-contents entry in view without moving the page.
  var sidebar = document.getElementById("sidebar");
  var current = document.querySelector(".toc a[aria-current='page']");
  if (sidebar && current) sidebar.scrollTop = current.offsetTop - sidebar.clientHeight / 2;
})();
