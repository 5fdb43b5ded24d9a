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

  // Content tabs: the labels of a set become a row of tabs showing one block at a
  // time. Choosing a label chooses it in every set that has it ("Chrome" once for
  // the whole page), and is remembered for the next page where storage allows.
  var chosenKey = "tejun-tab";
  function chooseTab(set, index) {
    var blocks = set.querySelectorAll(":scope > .tabbed-block");
    var buttons = set.querySelectorAll(":scope > .tabbed-tabs > button");
    for (var i = 0; i < blocks.length; i++) {
      blocks[i].hidden = i !== index;
      buttons[i].setAttribute("aria-selected", String(i === index));
      buttons[i].tabIndex = i === index ? 0 : -1;
    }
  }
  function chooseLabel(label) {
    document.querySelectorAll(".tabbed-set.has-tabs").forEach(function (set) {
      var buttons = set.querySelectorAll(":scope > .tabbed-tabs > button");
      for (var i = 0; i < buttons.length; i++) if (buttons[i].textContent === label) chooseTab(set, i);
    });
  }
  document.querySelectorAll(".tabbed-set").forEach(function (set, setIndex) {
    var blocks = set.querySelectorAll(":scope > .tabbed-block");
    var row = document.createElement("div");
    row.className = "tabbed-tabs";
    row.setAttribute("role", "tablist");
    var selected = 0;
    blocks.forEach(function (block, i) {
      var label = block.querySelector(":scope > .tabbed-label");
      var button = document.createElement("button");
      button.type = "button";
      button.id = "tab-" + setIndex + "-" + i;
      button.setAttribute("role", "tab");
      button.textContent = label ? label.textContent : String(i + 1);
      block.setAttribute("role", "tabpanel");
      block.setAttribute("aria-labelledby", button.id);
      if (block.classList.contains("tabbed-selected")) selected = i;
      row.appendChild(button);
    });
    set.insertBefore(row, set.firstChild);
    set.classList.add("has-tabs");
    chooseTab(set, selected);
  });
  try { var remembered = localStorage.getItem(chosenKey); if (remembered) chooseLabel(remembered); } catch (e) {}
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".tabbed-tabs > button");
    if (!button) return;
    chooseLabel(button.textContent);
    try { localStorage.setItem(chosenKey, button.textContent); } catch (e) {}
  });
  document.addEventListener("keydown", function (event) {
    var button = event.target.closest && event.target.closest(".tabbed-tabs > button");
    if (!button || (event.key !== "ArrowRight" && event.key !== "ArrowLeft")) return;
    var next = event.key === "ArrowRight" ? button.nextElementSibling || button.parentNode.firstElementChild
      : button.previousElementSibling || button.parentNode.lastElementChild;
    next.focus();
    next.click();
  });
  // A link to something inside a hidden tab shows that tab.
  function showTarget() {
    var target = location.hash.length > 1 && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    var block = target && target.closest && target.closest(".tabbed-block[hidden]");
    if (!block) return;
    var set = block.parentNode;
    chooseTab(set, Array.prototype.indexOf.call(set.querySelectorAll(":scope > .tabbed-block"), block));
    target.scrollIntoView();
  }
  window.addEventListener("hashchange", showTarget);
  showTarget();

  // Folded text is printed unfolded, as the PDFs have it, and folded again after.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (details) {
      details.open = true;
      details.setAttribute("data-printed-open", "");
    });
  });
  window.addEventListener("afterprint", function () {
    document.querySelectorAll("details[data-printed-open]").forEach(function (details) {
      details.open = false;
      details.removeAttribute("data-printed-open");
    });
  });

  // Keep the current table-of-contents entry in view without moving the page.
  var sidebar = document.getElementById("sidebar");
  var current = document.querySelector(".toc a[aria-current='page']");
  if (sidebar && current) sidebar.scrollTop = current.offsetTop - sidebar.clientHeight / 2;
})();
