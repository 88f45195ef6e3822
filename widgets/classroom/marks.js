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
