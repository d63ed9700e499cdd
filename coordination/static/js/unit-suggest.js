// The member-unit field of the project list: as a name is typed, asks the server for up to 20
// matching units and offers them in the field's datalist (the server never sends all units).
(function () {
  "use strict";
  var field = document.getElementById("unit");
  var list = document.getElementById("unit-options");
  if (!field || !list || !field.dataset.suggestUrl) { return; }
  var timer = null;
  var asked = "";
  function suggest() {
    var text = field.value.trim();
    if (!text || text === asked) { return; }
    asked = text;
    fetch(field.dataset.suggestUrl + "?q=" + encodeURIComponent(text), { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { items: [] }; })
      .then(function (answer) {
        if (field.value.trim() !== text) { return; }
        list.replaceChildren.apply(list, answer.items.map(function (unit) {
          var option = document.createElement("option");
          option.value = unit.name;
          return option;
        }));
      })
      .catch(function () {});
  }
  field.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(suggest, 200);
  });
})();
