/* Commune autocomplete on fields marked data-autocomplete="communes", following the ARIA
   combobox pattern (WAI-ARIA 1.2, list popup). Without this script the field is a plain
   text field and the form works the same. */
(function () {
  "use strict";
  var MIN_CHARS = 2;
  var counter = 0;

  function setup(input) {
    counter += 1;
    var listId = "combobox-list-" + counter;
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "combobox-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Communes proposées");
    list.hidden = true;
    input.parentNode.appendChild(list);
    var live = document.createElement("p");
    live.className = "visually-hidden";
    live.setAttribute("role", "status");
    input.parentNode.appendChild(live);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    var items = [];
    var active = -1;
    var timer = null;
    var lastQuery = "";

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function highlight(index) {
      var options = list.querySelectorAll("li");
      options.forEach(function (li, i) { li.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (index >= 0) { input.setAttribute("aria-activedescendant", options[index].id); }
      else { input.removeAttribute("aria-activedescendant"); }
    }
    function choose(index) {
      if (index < 0 || index >= items.length) { return; }
      input.value = items[index];
      close();
    }
    function render(names) {
      items = names;
      list.textContent = "";
      names.forEach(function (name, i) {
        var li = document.createElement("li");
        li.id = listId + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.textContent = name;
        li.addEventListener("mousedown", function (event) { event.preventDefault(); choose(i); });
        list.appendChild(li);
      });
      if (names.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        live.textContent = names.length + (names.length > 1 ? " communes proposées" : " commune proposée") + ", flèche bas pour choisir.";
      } else {
        close();
      }
    }
    function lookup() {
      var query = input.value.trim();
      if (query.length < MIN_CHARS || /\d+\s+\D/.test(query)) { close(); return; }
      if (query === lastQuery) { return; }
      lastQuery = query;
      fetch("/api/v1/communes?limit=6&q=" + encodeURIComponent(query), { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { items: [] }; })
        .then(function (page) {
          if (input.value.trim() !== query) { return; }
          render((page.items || []).map(function (c) {
            var postcode = (c.postal_codes && c.postal_codes[0]) || (c.departement && c.departement.code) || "";
            return c.name + (postcode ? " (" + postcode + ")" : "");
          }));
        })
        .catch(close);
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(lookup, 200);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" && items.length) {
        event.preventDefault();
        if (list.hidden) { list.hidden = false; input.setAttribute("aria-expanded", "true"); }
        highlight(Math.min(active + 1, items.length - 1));
      } else if (event.key === "ArrowUp" && items.length) {
        event.preventDefault();
        highlight(Math.max(active - 1, 0));
      } else if (event.key === "Enter" && !list.hidden && active >= 0) {
        event.preventDefault();
        choose(active);
      } else if (event.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  document.querySelectorAll('input[data-autocomplete="communes"]').forEach(setup);
})();
