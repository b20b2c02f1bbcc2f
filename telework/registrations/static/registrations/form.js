// The registration form (registrations/form.html): show the chosen mode's section; "leave out dd/mm" under a refusal;
// add another date field.
(function () {
  var form = document.getElementById("registration-form");
  function showMode() {
    var checked = form.querySelector("input[name=mode]:checked");
    var mode = checked ? checked.value : "weekly";
    form.querySelectorAll("[data-mode-section]").forEach(function (section) {
      section.hidden = section.getAttribute("data-mode-section") !== mode;
    });
  }
  form.querySelectorAll("input[name=mode]").forEach(function (radio) { radio.addEventListener("change", showMode); });
  showMode();
  // "Leave out dd/mm" under a refusal: the day joins "Except these days" and the check runs again.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-skip-date]");
    if (!button) { return; }
    var list = form.querySelector("[data-skipped-date-list]");
    var inputs = list.querySelectorAll("input[type=date]");
    var empty = Array.prototype.find.call(inputs, function (input) { return !input.value; });
    if (!empty) {
      empty = inputs[inputs.length - 1].cloneNode();
      list.insertBefore(empty, list.querySelector("[data-add-date]"));
    }
    empty.value = button.getAttribute("data-skip-date");
    button.disabled = true;
    form.querySelector("[data-check-button]").click();
  });
  form.querySelectorAll("[data-add-date]").forEach(function (button) {
    button.addEventListener("click", function () {
      var inputs = button.parentNode.querySelectorAll("input[type=date]");
      var copy = inputs[inputs.length - 1].cloneNode();
      copy.value = "";
      button.parentNode.insertBefore(copy, button);
      copy.focus();
    });
  });
})();
