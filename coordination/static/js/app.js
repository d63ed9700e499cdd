// Small progressive enhancements; every page works without them.
(function () {
  "use strict";
  // Move focus to the error summary after a failed form, so screen readers announce it.
  var summary = document.getElementById("form-errors");
  if (summary) {
    summary.focus();
  }
  // The display for elders (长辈版) opens no pop-up and no new window.
  var elder = document.documentElement.classList.contains("elder");
  if (elder) {
    Array.prototype.forEach.call(document.querySelectorAll("a[target=_blank]"), function (link) {
      link.removeAttribute("target");
    });
  }
  // Buttons that must be confirmed: <button data-confirm="...">. For elders the question is
  // written beside the button, and a second press confirms.
  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-confirm]");
    if (!target) {
      return;
    }
    var question = target.getAttribute("data-confirm");
    if (!elder) {
      if (!window.confirm(question)) {
        event.preventDefault();
      }
      return;
    }
    if (target.hasAttribute("data-confirm-asked")) {
      return;
    }
    event.preventDefault();
    target.setAttribute("data-confirm-asked", "");
    var note = document.createElement("p");
    note.className = "confirm-note";
    note.setAttribute("role", "alert");
    note.textContent = question + " " + (document.body.getAttribute("data-confirm-again") || "");
    target.insertAdjacentElement("beforebegin", note);
  });
  // Forms that take a while (imports, exports): disable the button and show a spinner.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-busy")) {
      return;
    }
    var button = form.querySelector("button[type=submit]");
    if (button) {
      button.disabled = true;
      button.setAttribute("aria-busy", "true");
      var text = form.getAttribute("data-busy");
      if (text) {
        button.textContent = text;
      }
    }
  });
})();

// Registration: offer communities to residents and buildings to office workers.
(function () {
  "use strict";
  var select = document.getElementById("place_id");
  var radios = document.querySelectorAll("input[name=role]");
  if (!select || !radios.length) {
    return;
  }
  function update() {
    var checked = document.querySelector("input[name=role]:checked");
    var kind = checked && checked.value === "worker" ? "building" : "community";
    Array.prototype.forEach.call(select.options, function (option) {
      var optionKind = option.getAttribute("data-kind");
      var hide = optionKind && optionKind !== kind;
      option.hidden = !!hide;
      option.disabled = !!hide;
      if (hide && option.selected) {
        select.value = "";
      }
    });
  }
  Array.prototype.forEach.call(radios, function (radio) {
    radio.addEventListener("change", update);
  });
  update();
})();

// Print buttons: <button data-print>.
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
