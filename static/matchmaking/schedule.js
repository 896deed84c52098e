// Polls the schedule status while a run is queued or running, and shows its progress and
// figures without reloading. The page works without it (reload to see the result).
(function () {
  "use strict";
  var section = document.getElementById("schedule-status");
  if (!section || section.dataset.finished === "true") {
    return;
  }
  var url = section.dataset.statusUrl;

  function field(name) {
    return section.querySelector('[data-field="' + name + '"]');
  }

  function setText(name, value) {
    var element = field(name);
    if (element) {
      element.textContent = value === null || value === undefined ? "—" : String(value);
    }
  }

  // The list items come from <template> elements the server rendered with the same markup
  // (and words) as its own list, so a redrawn list looks exactly like a reloaded one.
  function fromTemplate(name) {
    var template = section.querySelector('template[data-template="' + name + '"]');
    return template ? template.content.firstElementChild.cloneNode(true) : null;
  }

  // Replaces each {name} in text by its value, as plain text.
  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (placeholder, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : placeholder;
    });
  }

  function show(status) {
    setText("status_label", status.status_label);
    var progress = field("progress");
    if (progress) {
      progress.value = status.progress;
      progress.textContent = status.progress + "%";
    }
    if (!status.finished) {
      return;
    }
    setText("weight", status.weight);
    setText("bound", status.bound);
    setText("ratio", typeof status.ratio === "number" ? status.ratio.toFixed(4) : null);
    setText("proven_optimal", status.proven_optimal ? "yes" : "no");
    setText("moved", status.moved);
    setText("dropped", status.dropped);
    var error = field("error");
    if (error && status.error) {
      error.textContent = status.error;
      error.hidden = false;
    }
    var list = field("unplaced");
    if (list) {
      while (list.firstChild) {
        list.removeChild(list.firstChild);
      }
      status.unplaced.forEach(function (item) {
        var li = fromTemplate("unplaced-item");
        if (li) {
          li.textContent = fill(li.textContent, { request: item.request, reason: item.reason });
          list.appendChild(li);
        }
      });
      if (!status.unplaced.length) {
        var none = fromTemplate("unplaced-none");
        if (none) {
          list.appendChild(none);
        }
      }
    }
    var reload = field("reload");
    if (reload) {
      reload.hidden = false;
    }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (status) {
        if (!status) {
          return;
        }
        show(status);
        if (!status.finished) {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () {
        window.setTimeout(poll, 3000);
      });
  }

  poll();
})();
