/* Back office, opening hours: the check under the field follows the text as it is typed
   (the « Vérifier sans enregistrer » button does the same without this script). Text is
   inserted with textContent only. */
(function () {
  "use strict";
  var form = document.getElementById("hours-form");
  var field = document.getElementById("opening_hours");
  var box = document.getElementById("hours-check");
  if (!form || !field || !box || !window.fetch) { return; }
  var url = form.getAttribute("data-preview");
  var timer = null;
  var asked = 0;

  function line(label, text, className) {
    var p = document.createElement("p");
    if (className) { p.className = className; }
    p.appendChild(document.createTextNode(label + " "));
    var strong = document.createElement("strong");
    strong.textContent = text;
    p.appendChild(strong);
    return p;
  }

  function show(result) {
    while (box.firstChild) { box.removeChild(box.firstChild); }
    if (result.error) {
      box.appendChild(line("Ce texte n'est pas compris :", result.error, "field-error"));
      return;
    }
    box.appendChild(line("Ce texte signifie :", result.meaning || ""));
    box.appendChild(line("Ouvert maintenant ?", result.status || ""));
    if (result.note) {
      var note = document.createElement("p");
      note.className = "muted";
      note.textContent = result.note;
      box.appendChild(note);
    }
  }

  function check() {
    var ticket = ++asked;
    fetch(url + "?texte=" + encodeURIComponent(field.value), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (result) { if (result && ticket === asked) { show(result); } })
      .catch(function () { /* the button still works */ });
  }

  field.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(check, 400);
  });
  // Text typed before this script ran has not been checked yet.
  if (field.value !== field.defaultValue) { check(); }
})();
