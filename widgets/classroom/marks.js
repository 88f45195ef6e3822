/* Shared by the classroom page scripts: the mark of a Vega view named `name` (Vega-Lite names
 * a view's mark "<name>_marks"), found in the view's scenegraph, or null. */
window.trFindMark = window.trFindMark || function findMark(node, name) {
  if (!node) return null;
  if (node.marktype && node.name === name) return node;
  for (const item of node.items || []) {
    const found = findMark(item, name);
    if (found) return found;
  }
  return null;
};

/* Read-outs of bound sliders as a sentence speaks of their value ("50 %", "60 days"): for each
 * range input of `form`, readout(name) gives {low, step, texts} (texts[i] is the words of the
 * i-th step, written by Python: ParameterSpec.text), or null to leave the slider as it is. */
window.trReadouts = window.trReadouts || function readouts(form, readout) {
  for (const input of form.querySelectorAll('input[type="range"]')) {
    const spec = readout(input.name);
    if (!spec) continue;
    const raw = input.nextElementSibling;
    if (raw && raw.tagName === "SPAN") raw.classList.add("tr-raw-value");
    const out = document.createElement("output");
    out.className = "tr-value";
    out.setAttribute("aria-hidden", "true"); // the slider's aria-valuetext says the same
    input.insertAdjacentElement("afterend", out);
    const show = () => {
      const words = spec.texts[Math.round((Number(input.value) - spec.low) / spec.step)] || input.value;
      out.textContent = words;
      input.setAttribute("aria-valuetext", words);
    };
    input.addEventListener("input", show);
    show();
  }
};
