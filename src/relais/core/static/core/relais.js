// Small behaviours of Relais's pages, kept out of the templates: the
// Content-Security-Policy runs scripts from static files only, never inline
// scripts or event handlers (onclick=, onchange=).
//
// data-autosubmit on a field: changing it submits its form (a list's filter,
// a choice of centre), where onchange="this.form.submit()" would be refused.
// Until every template says data-autosubmit, a field that still carries that
// exact handler is treated alike, so that its form keeps working.
var AUTOSUBMIT = '[data-autosubmit], [onchange="this.form.submit()"]';

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
