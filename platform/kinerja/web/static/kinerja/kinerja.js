// Behaviour that pages used to carry inline, moved here so the Content-Security-Policy can forbid
// inline script: buttons that ask before acting. (No form submits when a choice changes: with a
// keyboard, browsing a list's choices would act on each one.)
// An irreversible action names its consequence in data-confirm, on the form or on the button that
// submits it (a form with several actions asks only for the one pressed). Without script the action
// goes ahead as before: the question is an aid, the rules are the server's.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var button = event.submitter;
  var question = (button && button.getAttribute && button.getAttribute("data-confirm")) ||
    (form.getAttribute && form.getAttribute("data-confirm"));
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
// A table wider than its box scrolls inside it (.table-scroll); such a box is made reachable by the
// keyboard, so it can be scrolled without a mouse.
function markScrollableTables() {
  var boxes = document.querySelectorAll(".table-scroll");
  for (var i = 0; i < boxes.length; i++) {
    var box = boxes[i];
    if (box.scrollWidth > box.clientWidth + 1) {
      box.setAttribute("tabindex", "0");
    } else if (box.getAttribute("tabindex") === "0") {
      box.removeAttribute("tabindex");
    }
  }
}
document.addEventListener("DOMContentLoaded", markScrollableTables);
window.addEventListener("resize", markScrollableTables);
document.addEventListener("htmx:afterSettle", markScrollableTables);
