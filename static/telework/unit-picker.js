// The unit picker (core/unit_picker.html): choosing a unit opens its page (its select carries data-submit-on-change,
// behaviours.js); the search box narrows the list to the units whose name or agency contains what was typed
// (diacritics ignored, so "phuong" finds "Phường").
(function () {
  function fold(text) {
    return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
  }
  document.querySelectorAll("[data-unit-picker]").forEach(function (form) {
    var select = form.querySelector("select[data-submit-on-change]");
    if (!select) { return; }
    var filter = form.querySelector("[data-unit-filter]");
    if (!filter) { return; }
    filter.addEventListener("input", function () {
      var wanted = fold(filter.value.trim());
      select.querySelectorAll("optgroup").forEach(function (group) {
        var shown = 0;
        group.querySelectorAll("option").forEach(function (option) {
          var match = !wanted || fold(option.getAttribute("data-search")).indexOf(wanted) !== -1 || option.selected;
          option.hidden = !match;
          if (match) { shown += 1; }
        });
        group.hidden = shown === 0;
      });
    });
  });
})();
