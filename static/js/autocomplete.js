// Suggestions for the inputs of common/autocomplete.py: as the person types, the input's
// <datalist> fills from its search endpoint (data-autocomplete). Without this file the
// input still works: the server resolves the typed name.
document.addEventListener("DOMContentLoaded", () => {
  for (const input of document.querySelectorAll("input[data-autocomplete]")) {
    const options = document.getElementById(input.getAttribute("list"));
    if (!options) continue;
    let timer = null;
    let controller = null;
    input.addEventListener("input", () => {
      window.clearTimeout(timer);
      const text = input.value.trim();
      if (text.length < 2 || text.length > 100) return;
      timer = window.setTimeout(async () => {
        if (controller) controller.abort();
        controller = new AbortController();
        const url = `${input.dataset.autocomplete}?q=${encodeURIComponent(text)}`;
        try {
          const response = await fetch(url, {
            credentials: "same-origin",
            headers: { Accept: "application/json" },
            signal: controller.signal,
          });
          if (!response.ok) return;
          const data = await response.json();
          options.replaceChildren(
            ...data.results.map((result) => {
              const option = document.createElement("option");
              option.value = result.value;
              option.label = result.label;
              return option;
            }),
          );
        } catch (error) {
          if (error.name !== "AbortError") throw error;
        }
      }, 150);
    });
  }
});
