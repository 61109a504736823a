// Tells the server how long the feedback form's page was open when it was sent, so
// a post sent implausibly fast can be filed as spam. Without this script the field
// stays empty and the post is judged by the other guards.
(function () {
  "use strict";
  document.querySelectorAll("form.feedback-form").forEach(function (form) {
    form.addEventListener("submit", function () {
      var field = form.querySelector('input[name="seconds_open"]');
      if (field) { field.value = (performance.now() / 1000).toFixed(1); }
    });
  });
})();
