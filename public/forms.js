/* Tiến Độ: a submitted form says it is being sent, cannot be sent twice, and comes back
 * with what was typed when the server refuses it.
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
 * A refused form comes back as its page with `__path` (the form's action) and `__err` in
 * the address. What the official typed is kept in the tab's sessionStorage while the form
 * is sent, put back when its page returns with an error, and dropped on any other page
 * load. Passwords, files and the server's hidden fields are never kept. Plain ES5.
 */
(function () {
  "use strict";
  if (window.tiendoForms) {
    return;
  }
  window.tiendoForms = true;

  var SENDING = { vi: "Đang gửi…", en: "Sending…" };
  var RETRY_AFTER_MS = 60000;
  var KEPT = "tiendo-typed";
  var KEPT_TYPES = /^(text|search|email|tel|url|number|date|month|week|time|datetime-local|checkbox|radio)$/;

  /* The fields whose values the official typed or chose. */
  function typedFields(form) {
    var kept = [];
    var fields = form.elements;
    for (var i = 0; i < fields.length; i++) {
      var field = fields[i];
      var tag = field.tagName.toLowerCase();
      if (!field.name || field.disabled) {
        continue;
      }
      if (tag === "textarea" || tag === "select" || (tag === "input" && KEPT_TYPES.test(field.type))) {
        kept.push(field);
      }
    }
    return kept;
  }

  function keep(form) {
    var values = [];
    var fields = typedFields(form);
    for (var i = 0; i < fields.length; i++) {
      var field = fields[i];
      if (field.type === "checkbox" || field.type === "radio") {
        values.push([field.name, field.value, field.checked]);
      } else if (field.multiple) {
        var chosen = [];
        for (var j = 0; j < field.options.length; j++) {
          if (field.options[j].selected) {
            chosen.push(field.options[j].value);
          }
        }
        values.push([field.name, chosen, null]);
      } else {
        values.push([field.name, field.value, null]);
      }
    }
    try {
      window.sessionStorage.setItem(KEPT, JSON.stringify({ action: form.getAttribute("action"), values: values }));
    } catch (e) {
      /* Storage full or refused: the form is sent all the same. */
    }
  }

  function restore() {
    var saved = null;
    try {
      saved = JSON.parse(window.sessionStorage.getItem(KEPT) || "null");
      window.sessionStorage.removeItem(KEPT);
    } catch (e) {
      return;
    }
    var query = window.location.search;
    var returned = /[?&]__err=/.test(query) && /[?&]__path=([^&]*)/.exec(query);
    if (!saved || !returned || decodeURIComponent(returned[1]) !== saved.action) {
      return;
    }
    var forms = document.querySelectorAll("form[method=post]");
    for (var f = 0; f < forms.length; f++) {
      if (forms[f].getAttribute("action") === saved.action) {
        put(forms[f], saved.values);
        return;
      }
    }
  }

  function put(form, values) {
    var fields = typedFields(form);
    var used = {};
    for (var i = 0; i < values.length; i++) {
      var name = values[i][0];
      var value = values[i][1];
      var checked = values[i][2];
      for (var k = 0; k < fields.length; k++) {
        var field = fields[k];
        if (field.name !== name) {
          continue;
        }
        if (checked !== null) {
          if (field.value === value) {
            field.checked = checked;
          }
        } else if (field.multiple && value instanceof Array) {
          for (var j = 0; j < field.options.length; j++) {
            field.options[j].selected = value.indexOf(field.options[j].value) >= 0;
          }
        } else if (!used[k]) {
          /* Fields sharing a name take their values in order. */
          used[k] = true;
          field.value = value;
          break;
        }
      }
    }
  }

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
    keep(form);
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

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", restore);
  } else {
    restore();
  }

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
