// planpress: wide tables scroll sideways inside Material's wrapper. A region that scrolls
// must be reachable by keyboard (WCAG 2.1.1), so give each wrapper a tab stop and a name.
// The build writes the wrapper, named, into every page (planpress/targets/site_hooks.py); this
// names any other (a table a council's plugin adds), but not the one Material's script puts
// inside ours, which does not scroll.
(function () {
  function label(wrapper) {
    var node = wrapper;
    while (node && node !== document.body) {
      var previous = node.previousElementSibling;
      while (previous) {
        if (/^H[1-6]$/.test(previous.tagName)) {
          return "Table: " + previous.textContent.trim();
        }
        previous = previous.previousElementSibling;
      }
      node = node.parentElement;
    }
    return "Table";
  }
  // Names must differ (two tables may sit under one heading): add the first column's
  // heading, then a number if that is not enough.
  function mark(root) {
    var wrappers = root.querySelectorAll(".md-typeset__scrollwrap:not([tabindex]):not(.md-typeset__table .md-typeset__scrollwrap)");
    var used = {};
    var named = root.querySelectorAll(".md-typeset__scrollwrap[aria-label]");
    for (var j = 0; j < named.length; j++) {
      used[named[j].getAttribute("aria-label")] = true;
    }
    for (var i = 0; i < wrappers.length; i++) {
      var name = label(wrappers[i]);
      var first = wrappers[i].querySelector("th");
      if (first && first.textContent.trim()) {
        name += " (" + first.textContent.trim() + ")";
      }
      var unique = name;
      for (var n = 2; used[unique]; n++) {
        unique = name + " " + n;
      }
      used[unique] = true;
      wrappers[i].setAttribute("tabindex", "0");
      wrappers[i].setAttribute("role", "region");
      wrappers[i].setAttribute("aria-label", unique);
    }
  }
  mark(document);
  new MutationObserver(function () { mark(document); })
    .observe(document.body, { childList: true, subtree: true });
})();
