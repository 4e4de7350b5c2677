/* Tiến Độ: a submitted form says it is being sent and cannot be sent twice.
 *
 * Every form is a plain HTML form that works without this script. With it, a form being
 * sent is marked aria-busy, its buttons aria-disabled, and a status line says so in the
 * page's language; a second submit is ignored. A field that says it is invalid (an
 * island's check, through setCustomValidity) stops its form and takes the focus. After a
 * minute the form may be sent again: on a link that dropped, the official retries (a
 * report carries its submission key, so the server keeps one).
 *
 * A file input with data-max-files and data-max-bytes (the report's evidence) says what
 * was chosen and how big it is, and refuses too many or too large files before they are
 * sent, with the sentences the server put in its data attributes.
 *
 * A refused form needs nothing from here: the server puts back what was typed, with or
 * without this script. Plain ES5.
 */
(function () {
  "use strict";
  if (window.tiendoForms) {
    return;
  }
  window.tiendoForms = true;

  var SENDING = { vi: "Đang gửi…", en: "Sending…" };
  var RETRY_AFTER_MS = 60000;

  function language() {
    var lang = (document.documentElement.getAttribute("lang") || "vi").slice(0, 2);
    return SENDING[lang] ? lang : "vi";
  }

  function buttons(form) {
    return form.querySelectorAll("button:not([type]), button[type=submit], input[type=submit]");
  }

  function firstInvalid(form) {
    var fields = form.elements;
    for (var i = 0; i < fields.length; i++) {
      if (fields[i].validity && fields[i].validity.customError) {
        return fields[i];
      }
    }
    return null;
  }

  function release(form) {
    form.removeAttribute("aria-busy");
    var list = buttons(form);
    for (var i = 0; i < list.length; i++) {
      list[i].removeAttribute("aria-disabled");
    }
    var note = form.querySelector(".form-pending");
    if (note) {
      note.parentNode.removeChild(note);
    }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || !form || String(form.method).toLowerCase() !== "post") {
      return;
    }
    if (form.getAttribute("aria-busy") === "true") {
      event.preventDefault();
      return;
    }
    var invalid = firstInvalid(form);
    if (invalid) {
      event.preventDefault();
      invalid.focus();
      return;
    }
    form.setAttribute("aria-busy", "true");
    var list = buttons(form);
    for (var i = 0; i < list.length; i++) {
      list[i].setAttribute("aria-disabled", "true");
    }
    var note = document.createElement("span");
    note.className = "form-pending";
    note.setAttribute("role", "status");
    note.textContent = SENDING[language()];
    var last = list.length ? list[list.length - 1] : null;
    if (last && last.parentNode) {
      last.parentNode.insertBefore(note, last.nextSibling);
    } else {
      form.appendChild(note);
    }
    window.setTimeout(function () {
      release(form);
    }, RETRY_AFTER_MS);
  });

  function sizeText(bytes, decimal) {
    if (bytes < 1024 * 1024) {
      return Math.ceil(bytes / 1024) + " KB";
    }
    var tenths = Math.round((bytes * 10) / (1024 * 1024));
    return Math.floor(tenths / 10) + decimal + (tenths % 10) + " MB";
  }

  function checkFiles(input) {
    var data = input.dataset;
    var files = input.files || [];
    var chosen = "";
    var problem = "";
    if (files.length > 0) {
      var total = 0;
      var largest = files[0];
      for (var i = 0; i < files.length; i++) {
        total += files[i].size;
        if (files[i].size > largest.size) {
          largest = files[i];
        }
      }
      chosen = data.chosen.replace("{count}", files.length).replace("{size}", sizeText(total, data.decimal));
      if (files.length > Number(data.maxFiles)) {
        problem = data.tooMany;
      } else if (largest.size > Number(data.maxBytes)) {
        problem = largest.name + " (" + sizeText(largest.size, data.decimal) + "): " + data.tooLarge;
      }
    }
    input.setCustomValidity(problem);
    var shown = [[input.id + "-chosen", chosen], [input.id + "-check", problem]];
    for (var k = 0; k < shown.length; k++) {
      var target = document.getElementById(shown[k][0]);
      if (target) {
        target.textContent = shown[k][1];
      }
    }
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input && input.type === "file" && input.dataset && input.dataset.maxBytes) {
      checkFiles(input);
    }
  });

  /* Back to a page kept in the browser's cache: its forms can be sent again. */
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) {
      return;
    }
    var forms = document.querySelectorAll("form[aria-busy=true]");
    for (var i = 0; i < forms.length; i++) {
      release(forms[i]);
    }
  });
})();
