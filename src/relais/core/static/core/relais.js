// Small behaviours of Relais's pages, kept out of the templates: the
// Content-Security-Policy runs scripts from static files only, never inline
// scripts or event handlers (onclick=, onchange=).
//
// data-autosubmit on a field: changing it submits its form (a list's filter,
// a choice of centre), where onchange="this.form.submit()" would be refused.
var AUTOSUBMIT = "[data-autosubmit]";

document.addEventListener("change", function (event) {
  var field = event.target.closest(AUTOSUBMIT);
  if (field && field.form) {
    if (field.form.requestSubmit) {
      field.form.requestSubmit();
    } else {
      field.form.submit();
    }
  }
});
