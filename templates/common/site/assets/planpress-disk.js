// planpress: opened from a disk (file://), Material's search cannot start its worker and fails with a
// script error. Runs before Material's own script: take the search away, and mark the page so
// that the footer's note (planpress.css) says search works when the site is on a web server.
if (location.protocol === "file:") {
  document.documentElement.classList.add("pp-from-disk");
  document.querySelectorAll('[data-md-component="search"], label[for="__search"]').forEach(function (node) {
    node.remove();
  });
}
