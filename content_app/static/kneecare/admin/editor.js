// KneeCare admin comfort: Markdown preview, labels on inline inputs, focus on new inline rows.
"use strict";
(function () {
  function csrfToken() {
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function addMarkdownPreview(config) {
    const url = config.dataset.markdownUrl;
    for (const name of (config.dataset.markdownFields || "").split(",")) {
      const area = document.querySelector(`textarea[name="${name}"]`);
      if (!area) continue;
      const button = document.createElement("button");
      button.type = "button";
      button.className = "button markdown-preview-button";
      button.textContent = "Preview Markdown";
      button.setAttribute("aria-controls", `${area.id}_preview`);
      const output = document.createElement("div");
      output.id = `${area.id}_preview`;
      output.className = "markdown-preview";
      output.setAttribute("aria-live", "polite");
      output.hidden = true;
      button.addEventListener("click", async () => {
        const body = new URLSearchParams({ text: area.value });
        const response = await fetch(url, {
          method: "POST",
          body,
          headers: { "X-CSRFToken": csrfToken() },
          credentials: "same-origin",
        });
        output.innerHTML = response.ok ? await response.text() : "<p>Preview failed.</p>";
        output.hidden = false;
      });
      area.after(button, output);
    }
  }

  function labelInlineInputs(root) {
    for (const table of root.querySelectorAll(".inline-group .tabular table")) {
      const headers = [...table.querySelectorAll("thead th")].map((th) => th.textContent.trim());
      for (const row of table.querySelectorAll("tbody tr.form-row")) {
        const number = Number(row.id.split("-").pop());
        const which = Number.isNaN(number) ? "new row" : `row ${number + 1}`;
        [...row.children].forEach((cell, index) => {
          const label = headers[index];
          for (const input of cell.querySelectorAll("input:not([type=hidden]), select, textarea")) {
            if (label && !input.labels?.length && !input.getAttribute("aria-label")) {
              input.setAttribute("aria-label", `${label} (${which})`);
            }
          }
        });
      }
    }
  }

  document.addEventListener("formset:added", (event) => {
    const row = event.target;
    labelInlineInputs(document);
    setTimeout(() => {
      const first = row.querySelector(
        ".select2-selection, input:not([type=hidden]):not([type=checkbox]), select, textarea"
      );
      if (first) first.focus();
    }, 0);
  });

  document.addEventListener("DOMContentLoaded", () => {
    const config = document.getElementById("kneecare-editor");
    if (config) addMarkdownPreview(config);
    labelInlineInputs(document);
  });
})();
