// The pilot form (policy/pilot_form.html): add and remove phase rows, find an agency by name or code, tick a whole
// group of agencies (the scope's units then follow through HTMX).
(function () {
  var rows = document.getElementById("phase-rows");
  var total = document.getElementById("id_phases-TOTAL_FORMS");
  document.getElementById("add-phase").addEventListener("click", function () {
    var html = document.getElementById("phase-empty").innerHTML.replace(/__prefix__/g, total.value);
    rows.insertAdjacentHTML("beforeend", html);
    total.value = parseInt(total.value, 10) + 1;
  });
  rows.addEventListener("click", function (event) {
    var button = event.target.closest(".remove-phase");
    if (!button) return;
    var row = button.closest(".phase-row");
    var box = row.querySelector("input[type=checkbox][name$='-DELETE']");
    if (box) box.checked = true;
    row.querySelectorAll("input:not([type=checkbox])").forEach(function (input) { input.required = false; });
    row.classList.add("d-none");
  });
  document.querySelectorAll(".phase-row input[name$='-DELETE']:checked").forEach(function (box) { box.closest(".phase-row").classList.add("d-none"); });
  var filter = document.getElementById("agency-filter");
  filter.addEventListener("input", function () {
    var needle = filter.value.trim().toLowerCase();
    document.querySelectorAll(".agency-option").forEach(function (option) {
      option.classList.toggle("d-none", needle !== "" && option.dataset.search.indexOf(needle) === -1);
    });
  });
  document.querySelectorAll(".select-group").forEach(function (button) {
    button.addEventListener("click", function () {
      button.closest(".agency-group").querySelectorAll(".agency-option:not(.d-none) input").forEach(function (box) { box.checked = true; });
      document.getElementById("agency-choices").dispatchEvent(new Event("change", {bubbles: true}));
    });
  });
})();
