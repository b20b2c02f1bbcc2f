// The work form (assignments/form.html): the dossier's legal-deadline fields show only when "legal deadline" is ticked.
(function () {
  var fields = document.querySelector("[data-legal-fields]");
  var toggle = fields && document.getElementById(fields.getAttribute("data-legal-toggle"));
  if (!toggle) { return; }
  function show() { fields.hidden = !toggle.checked; }
  toggle.addEventListener("change", show);
  show();
})();
