/* KotaCerdas: <select multiple data-searchable> becomes a filter box and a list of checkboxes.
 *
 * Progressive enhancement: without JavaScript the native multi-select works as it is. With it,
 * the select stays in the form (hidden) and remains what is submitted; each checkbox mirrors one
 * option. The translated texts come from this script tag's data attributes (set in base.html).
 * Content swapped in by htmx is enhanced too. No dependencies.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var texts = {
    filter: (script && script.dataset.filterLabel) || "Type to filter",
    selected: (script && script.dataset.selectedLabel) || "selected", // after the number: "3 selected"
    none: (script && script.dataset.noneLabel) || "Nothing matches."
  };

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function enhance(select) {
    if (select.dataset.searchableReady) return;
    select.dataset.searchableReady = "1";
    var id = select.id || "searchable-" + Math.random().toString(36).slice(2);
    select.id = id;

    var box = document.createElement("div");
    box.className = "searchable";
    var filter = document.createElement("input");
    filter.type = "search";
    filter.id = id + "-filter";
    filter.placeholder = texts.filter;
    filter.setAttribute("aria-controls", id + "-options");
    filter.autocomplete = "off";
    var list = document.createElement("ul");
    list.id = id + "-options";
    var empty = document.createElement("p");
    empty.className = "hint";
    empty.hidden = true;
    empty.textContent = texts.none;
    var count = document.createElement("p");
    count.className = "searchable-count";
    count.setAttribute("aria-live", "polite");

    // The field's label now names the filter box; the list keeps the same accessible name.
    var label = document.querySelector('label[for="' + CSS.escape(id) + '"]');
    if (label) {
      label.htmlFor = filter.id;
      if (!label.id) label.id = id + "-label";
      list.setAttribute("aria-labelledby", label.id);
    }
    var describedBy = select.getAttribute("aria-describedby");
    if (describedBy) filter.setAttribute("aria-describedby", describedBy);

    var items = [];
    Array.prototype.forEach.call(select.options, function (option, index) {
      var item = document.createElement("li");
      var optionLabel = document.createElement("label");
      var box_ = document.createElement("input");
      box_.type = "checkbox";
      box_.id = id + "-option-" + index;
      box_.checked = option.selected;
      box_.disabled = option.disabled;
      box_.addEventListener("change", function () {
        option.selected = box_.checked;
        select.dispatchEvent(new Event("change", { bubbles: true }));
        update();
      });
      optionLabel.htmlFor = box_.id;
      optionLabel.appendChild(box_);
      optionLabel.appendChild(document.createTextNode(option.text));
      item.appendChild(optionLabel);
      list.appendChild(item);
      items.push({ item: item, text: fold(option.text) });
    });

    function update() {
      var n = Array.prototype.filter.call(select.options, function (o) { return o.selected; }).length;
      count.textContent = n + " " + texts.selected;
    }

    filter.addEventListener("input", function () {
      var wanted = fold(filter.value.trim());
      var shown = 0;
      items.forEach(function (entry) {
        var match = !wanted || entry.text.indexOf(wanted) !== -1;
        entry.item.hidden = !match;
        if (match) shown += 1;
      });
      empty.hidden = shown > 0;
    });
    // Enter in the filter box filters; it must not submit the form.
    filter.addEventListener("keydown", function (event) {
      if (event.key === "Enter") event.preventDefault();
    });

    box.appendChild(filter);
    box.appendChild(list);
    box.appendChild(empty);
    box.appendChild(count);
    select.insertAdjacentElement("afterend", box);
    // Hidden controls cannot show the browser's "required" bubble; the server says what is missing.
    select.required = false;
    select.hidden = true;
    update();
  }

  function enhanceAll(root) {
    var scope = root && root.querySelectorAll ? root : document;
    Array.prototype.forEach.call(scope.querySelectorAll("select[multiple][data-searchable]"), enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { enhanceAll(document); });
  } else {
    enhanceAll(document);
  }
  document.addEventListener("htmx:load", function (event) { enhanceAll(event.target); });
})();
