// tejun serve: reloads the page when the manual is rebuilt and shows build errors.
// Added to pages only as they are served; never part of `tejun build`'s output.
(function () {
  "use strict";
  var script = document.currentScript;
  var served = script && script.getAttribute("data-build");
  var KEY = "tejun-serve-position";

  // Which step the reader is on: the first step whose bottom is still on screen, and
  // how far its top is from the top of the window. Restoring by step keeps the reader
  // in place when text above it grew or shrank; scrollY is the fallback.
  function position() {
    var steps = document.querySelectorAll('[id^="step-"]');
    for (var i = 0; i < steps.length; i++) {
      var box = steps[i].getBoundingClientRect();
      if (box.bottom > 0) {
        return { step: steps[i].id, offset: box.top };
      }
    }
    return { step: null, offset: 0 };
  }

  function save() {
    var at = position();
    try {
      sessionStorage.setItem(KEY, JSON.stringify({
        path: location.pathname, scrollY: window.scrollY, step: at.step, offset: at.offset, time: Date.now()
      }));
    } catch (e) { /* storage disabled: the browser's own scroll restoring still applies */ }
  }

  function restore() {
    var saved;
    try {
      saved = JSON.parse(sessionStorage.getItem(KEY) || "null");
      sessionStorage.removeItem(KEY);
    } catch (e) { return; }
    if (!saved || saved.path !== location.pathname || Date.now() - saved.time > 60000) { return; }
    if ("scrollRestoration" in history) { history.scrollRestoration = "manual"; }
    var place = function () {
      var step = saved.step && document.getElementById(saved.step);
      if (step) {
        window.scrollTo(0, step.getBoundingClientRect().top + window.scrollY - saved.offset);
      } else {
        window.scrollTo(0, saved.scrollY);
      }
    };
    place();
    // Images may still change the layout; place again once they have loaded.
    window.addEventListener("load", place, { once: true });
  }

  function reload() {
    save();
    source.close();
    location.reload();
  }

  function showOverlay(html) {
    var old = document.getElementById("tejun-error-overlay");
    if (old) { old.remove(); }
    var holder = document.createElement("div");
    holder.innerHTML = html;
    if (holder.firstElementChild) { document.body.appendChild(holder.firstElementChild); }
  }

  restore();
  var source = new EventSource("/__tejun/events");
  // Sent first on every connection: a page that missed a build while it was away
  // (the connection dropped, the server restarted) reloads.
  source.addEventListener("hello", function (event) {
    if (JSON.parse(event.data).build !== served) { reload(); }
  });
  source.addEventListener("reload", reload);
  source.addEventListener("failed", function (event) {
    var data = JSON.parse(event.data);
    served = data.build;
    showOverlay(data.html);
  });
})();
