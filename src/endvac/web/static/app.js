// Submit a filter form as soon as one of its choices changes (the Show button works
// without script too).
document.addEventListener("change", function (event) {
  if (event.target.classList.contains("autosubmit")) { event.target.form.submit(); }
});
