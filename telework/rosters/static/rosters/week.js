// The roster week (rosters/week.html).
// An edit swaps the whole grid: keep the head where they were (on a phone, scrolled sideways to a later day).
(function () {
  var kept = null;
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "roster-grid") {
      var box = event.detail.target.querySelector(".roster-scroll");
      kept = {left: box ? box.scrollLeft : 0, top: window.scrollY};
    }
  });
  document.body.addEventListener("htmx:afterSettle", function () {
    var box = document.querySelector("#roster-grid .roster-scroll");
    if (kept && box) {
      box.scrollLeft = kept.left;
      window.scrollTo(window.scrollX, kept.top);
    }
    kept = null;
  });
})();
