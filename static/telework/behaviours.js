// Small behaviours a page asks for with data-* attributes, so templates carry no inline script or on…= handler (the
// content-security policy refuses both, docs/security.md). Listeners sit on the document, so content swapped in by
// HTMX behaves the same.
// - data-submit-on-change (a select or a checkbox): changing it sends its form;
//   data-clears="name": … after emptying that other field of the form;
//   data-clears-when-chosen="name": … after emptying it, when a value was chosen (not "all");
// - data-print (a button): prints the page;
// - data-tick-all="selector" (a checkbox): ticking it ticks, unticking it unticks, every checkbox the selector finds.
(function () {
  function clear(form, name) {
    var other = name && form.elements.namedItem(name);
    if (other) { other.value = ""; }
  }
  document.addEventListener("change", function (event) {
    var field = event.target.closest("[data-submit-on-change]");
    if (!field || !field.form) { return; }
    clear(field.form, field.getAttribute("data-clears"));
    if (field.value) { clear(field.form, field.getAttribute("data-clears-when-chosen")); }
    field.form.submit();
  });
  document.addEventListener("click", function (event) {
    var printer = event.target.closest("[data-print]");
    if (printer) { window.print(); return; }
    var master = event.target.closest("[data-tick-all]");
    if (master) {
      document.querySelectorAll(master.getAttribute("data-tick-all")).forEach(function (box) { box.checked = master.checked; });
    }
  });
})();
