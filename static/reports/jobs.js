// The report job page polls its small status endpoint until the document is done or failed.
// Without JavaScript the page says to reload it.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("job-status");
  if (!box) return;
  const show = (status) => {
    box.dataset.status = status.status;
    box.querySelector('[data-field="status_label"]').textContent = status.status_label;
    const bar = box.querySelector('[data-field="progress"]');
    bar.value = status.progress;
    bar.textContent = `${status.progress}%`;
    box.querySelector('[data-field="error"]').textContent = status.error || "";
    if (status.download_url) {
      box.querySelector('[data-field="download_url"]').href = status.download_url;
    }
    box.querySelector('[data-when="done"]').hidden = status.status !== "done";
    box.querySelector('[data-when="failed"]').hidden = status.status !== "failed";
    box.querySelector('[data-when="waiting"]').hidden = ["done", "failed"].includes(status.status);
  };
  let delay = 500;
  const poll = async () => {
    if (["done", "failed"].includes(box.dataset.status)) return;
    try {
      const response = await fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" } });
      if (response.ok) show(await response.json());
    } catch (error) {
      // A lost connection: try again a little later.
    }
    delay = Math.min(delay * 1.5, 5000);
    window.setTimeout(poll, delay);
  };
  window.setTimeout(poll, delay);
});
