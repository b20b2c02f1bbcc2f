// The override form (policy/policy_override_form.html): a parameter's value shows only when its row is ticked.
(function () {
  function sync(row) {
    var on = row.querySelector(".override-toggle").checked;
    row.querySelector(".override-value").classList.toggle("d-none", !on);
  }
  document.querySelectorAll(".override-row").forEach(function (row) {
    sync(row);
    row.querySelector(".override-toggle").addEventListener("change", function () { sync(row); });
  });
})();
