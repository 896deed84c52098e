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
        var li = document.createElement("li");
        li.textContent = "Request " + item.request + ": " + item.reason;
        list.appendChild(li);
      });
      if (!status.unplaced.length) {
        var none = document.createElement("li");
        none.textContent = "None.";
        list.appendChild(none);
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
