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

// planpress: the keyboard and the narrow-screen menu. Material's menu button is a label that a
// keyboard cannot reach; put a real button in its place (Enter or Space opens the drawer, focus goes into it,
// Escape closes it and returns). The drawer's closed state is hidden in planpress.css, so its links
// are no tab stops while it is shut. On a phone the search box is an overlay with no tab stop of
// its own, so the drawer offers a Search button. The header's logo repeats the menu's Home link:
// it is no tab stop, so the content is reached within three presses of Tab.
(function () {
  var drawer = document.getElementById("__drawer");
  var label = document.querySelector('.md-header label[for="__drawer"]');
  var logo = document.querySelector(".md-header .md-logo");
  if (logo) {
    logo.setAttribute("tabindex", "-1");
  }
  if (!drawer || !label) {
    return;
  }
  // A real button in the label's place (a label may not be given the role of a button).
  var button = document.createElement("button");
  button.type = "button";
  button.className = "md-header__button md-icon pp-menu";
  button.setAttribute("aria-label", "Menu");
  button.setAttribute("aria-controls", "pp-drawer");
  while (label.firstChild) {
    button.appendChild(label.firstChild);
  }
  label.parentNode.insertBefore(button, label);
  label.hidden = true;
  var sidebar = document.querySelector(".md-sidebar--primary");
  if (sidebar) {
    sidebar.id = "pp-drawer";
  }
  function sync() {
    button.setAttribute("aria-expanded", drawer.checked ? "true" : "false");
  }
  sync();
  drawer.addEventListener("change", sync);
  button.addEventListener("click", function () {
    label.click();
    sync();
    // The drawer is shown (visibility) at once when it opens; move the focus to its first link.
    window.setTimeout(function () {
      // The first link of the level shown (Material slides the other levels out of the drawer).
      var links = sidebar ? sidebar.querySelectorAll("a[href], button") : [];
      var box = sidebar ? sidebar.getBoundingClientRect() : null;
      for (var i = 0; i < links.length; i++) {
        var r = links[i].getBoundingClientRect();
        if (drawer.checked && r.width > 0 && r.left >= box.left && r.right <= box.right + 1) {
          links[i].focus();
          return;
        }
      }
    }, 0);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && drawer.checked) {
      label.click();
      sync();
      button.focus();
    }
  });
  var search = document.querySelector('.md-header label[for="__search"]');
  var nav = sidebar && sidebar.querySelector(".md-nav--primary");
  if (search && nav) {
    var open = document.createElement("button");
    open.type = "button";
    open.className = "pp-drawer-search";
    open.textContent = "Search the plan";
    open.addEventListener("click", function () {
      label.click();
      sync();
      search.click();
      window.setTimeout(function () {
        var input = document.querySelector(".md-search__input");
        if (input) {
          input.focus();
        }
      }, 0);
    });
    sidebar.appendChild(open);
  }
  // Between a phone and a desktop (60em to 76.25em) the header shows both the menu button and the
  // search box: the box would be a fourth tab stop before the content. Wherever there is a drawer,
  // the search is reached from the drawer's Search button (or Material's "/" shortcut), as on a
  // phone; the box stays on the screen for a mouse, and is a tab stop again while the search is open.
  var input = document.querySelector(".md-header .md-search__input");
  var searching = document.getElementById("__search");
  var drawn = window.matchMedia("(max-width: 76.234375em)");
  function place() {
    if (!input) {
      return;
    }
    if (drawn.matches && !(searching && searching.checked)) {
      input.setAttribute("tabindex", "-1");
    } else {
      input.removeAttribute("tabindex");
    }
  }
  place();
  if (searching) {
    searching.addEventListener("change", place);
  }
  if (drawn.addEventListener) {
    drawn.addEventListener("change", place);
  }
})();
