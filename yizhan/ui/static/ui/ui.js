// Small behaviours of every screen, kept out of the markup (the Content-Security-Policy allows no
// inline script): selects that submit their form on change, buttons that print the page.
document.addEventListener("change", function (event) {
  var el = event.target;
  if (el.matches && el.matches("[data-autosubmit]") && el.form) { el.form.submit(); }
});
document.addEventListener("click", function (event) {
  var el = event.target.closest ? event.target.closest("[data-print]") : null;
  if (el) { event.preventDefault(); window.print(); }
});
