/*
 * Chapter text editor: turns every <textarea data-richtext="..."> into a TinyMCE editor.
 *
 * Progressive enhancement: without JavaScript (or if the editor fails to load) the textarea stays
 * and the form posts the same field. The server sanitises either way; the editor only offers what
 * the sanitiser keeps: data-richtext carries the allowed elements in TinyMCE's valid_elements
 * syntax, written by the server from the sanitiser's own lists. Why TinyMCE, its version and how to
 * upgrade it: docs/decisions/0004-rich-text-editor.md.
 */
(function () {
  "use strict";

  // The editor's content style sheet sits beside this file (a file, not TinyMCE's content_style,
  // which would be a <style> element the Content-Security-Policy refuses).
  var CONTENT_CSS = new URL("richtext-content.css", document.currentScript.src).href;

  // Word lists arrive as paragraphs styled "mso-list:l0 level1 lfo1" with the bullet or number as
  // text in a span styled "mso-list:Ignore". TinyMCE's open-source paste no longer rebuilds them,
  // so this does, before the editor's schema drops the styles.
  var LIST_STYLE = /mso-list:\s*l\d+\s+level(\d+)/i;
  var ORDERED_MARKER = /^\s*(\d+|[a-z]|[ivxlcdm]+)[.)]/i;

  function isWordHtml(html) {
    return /class="?Mso|mso-|urn:schemas-microsoft-com/i.test(html);
  }

  function markerOf(p) {
    var spans = p.querySelectorAll("span");
    for (var i = 0; i < spans.length; i++) {
      if (/mso-list:\s*Ignore/i.test(spans[i].getAttribute("style") || "")) {
        return spans[i];
      }
    }
    return null;
  }

  function rebuildLists(doc) {
    var stack = [];
    var last = null;
    var paragraphs = Array.prototype.slice.call(doc.body.querySelectorAll("p"));
    paragraphs.forEach(function (p) {
      var match = LIST_STYLE.exec(p.getAttribute("style") || "");
      if (!match) {
        return;
      }
      var level = parseInt(match[1], 10);
      var marker = markerOf(p);
      var ordered = marker ? ORDERED_MARKER.test(marker.textContent) : false;
      if (marker) {
        // The bullet sits in spans of its own (font, size): drop the ones it leaves empty.
        var gone = marker;
        while (gone.parentNode !== p && gone.parentNode.textContent === gone.textContent) {
          gone = gone.parentNode;
        }
        gone.parentNode.removeChild(gone);
      }
      while (p.firstChild && p.firstChild.nodeType !== 1 && !(p.firstChild.textContent || "").trim()) {
        p.removeChild(p.firstChild);  // whitespace and comments left before the item's text
      }
      var previous = p.previousElementSibling;
      if (!last || previous !== last.anchor) {
        stack = [];  // not the next paragraph of the same list: a new list starts
      }
      while (stack.length && stack[stack.length - 1].level > level) {
        stack.pop();
      }
      var top = stack[stack.length - 1];
      if (!top || top.level < level) {
        var list = doc.createElement(ordered ? "ol" : "ul");
        if (top && top.list.lastElementChild) {
          top.list.lastElementChild.appendChild(list);
        } else {
          p.parentNode.insertBefore(list, p);
        }
        top = { level: level, list: list };
        stack.push(top);
      }
      var item = doc.createElement("li");
      while (p.firstChild) {
        item.appendChild(p.firstChild);
      }
      top.list.appendChild(item);
      // The list (outermost) now stands where the paragraph was: the next paragraph follows it.
      var anchor = stack[0].list;
      p.parentNode.removeChild(p);
      last = { anchor: anchor };
    });
  }

  // Only h3 and h4 are offered (chapters sit under the document's own h1/h2): Word's headings are
  // moved into that range instead of being lost.
  function fitHeadings(doc) {
    var map = { H1: "h3", H2: "h3", H5: "h4", H6: "h4" };
    Array.prototype.slice.call(doc.body.querySelectorAll("h1, h2, h5, h6")).forEach(function (h) {
      var heading = doc.createElement(map[h.tagName]);
      while (h.firstChild) {
        heading.appendChild(h.firstChild);
      }
      h.parentNode.replaceChild(heading, h);
    });
  }

  function cleanPaste(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    if (isWordHtml(html)) {
      Array.prototype.slice.call(doc.body.getElementsByTagName("*")).forEach(function (el) {
        if (el.tagName.indexOf(":") !== -1) {  // <o:p>, <v:shape>, <w:...>: Office-only markup
          el.parentNode.removeChild(el);
        }
      });
      rebuildLists(doc);
    }
    fitHeadings(doc);
    return doc.body.innerHTML;
  }

  function focusEditorFromLinks(editor, textarea) {
    // The field's label and the error summary point at the textarea, which the editor hides.
    var links = document.querySelectorAll('a[href="#' + textarea.id + '"], label[for="' + textarea.id + '"]');
    links.forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        editor.focus();
      });
    });
  }

  function labelOf(textarea) {
    var label = document.querySelector('label[for="' + textarea.id + '"]');
    return label ? label.textContent.replace(/\s+/g, " ").trim() : undefined;
  }

  function enhance(textarea) {
    var indonesian = (document.documentElement.lang || "").toLowerCase().indexOf("id") === 0;
    var rows = parseInt(textarea.getAttribute("rows") || "18", 10);
    var config = {
      target: textarea,
      license_key: "gpl",
      promotion: false,
      branding: false,
      menubar: false,
      toolbar_mode: "wrap",  // every button stays visible on a phone, none behind a "more" menu
      mobile: { toolbar_mode: "wrap" },
      plugins: "lists link table",
      toolbar:
        "undo redo | blocks | bold italic underline | bullist numlist | link table | removeformat",
      block_formats: "Paragraph=p;Heading 3=h3;Heading 4=h4",  // no spaces: labels are translated as written
      valid_elements: textarea.getAttribute("data-richtext"),
      formats: { underline: { inline: "u", exact: true } },
      entity_encoding: "raw",
      convert_urls: false,
      link_default_protocol: "https",
      link_target_list: false,
      table_header_type: "sectionCells",
      table_use_colgroups: false,
      table_default_attributes: {},
      table_default_styles: {},
      table_sizing_mode: "relative",
      table_resize_bars: false,
      object_resizing: false,
      paste_data_images: false,
      paste_preprocess: function (editor, args) {
        args.content = cleanPaste(args.content);
      },
      content_css: ["default", CONTENT_CSS],
      height: Math.max(320, rows * 24),
      setup: function (editor) {
        editor.on("init", function () {
          textarea.setAttribute("data-richtext-ready", "true");
          focusEditorFromLinks(editor, textarea);
        });
      },
    };
    if (indonesian) {
      config.language = "id";
    }
    if (labelOf(textarea)) {
      config.iframe_aria_text = labelOf(textarea);  // screen readers hear the field's own label
    }
    window.tinymce.init(config);
  }

  function start() {
    if (!window.tinymce) {
      return;  // the editor did not load: the plain textarea works as before
    }
    // The Indonesian pack (loaded before this script) says "Kepala" for headings; "Judul" reads
    // right in a plan.
    window.tinymce.addI18n("id", { "Heading 3": "Judul 3", "Heading 4": "Judul 4" });
    document.querySelectorAll("textarea[data-richtext]").forEach(enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
