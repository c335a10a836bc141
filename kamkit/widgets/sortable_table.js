// A table whose column headers sort it and whose rows can be picked: the view of
// kamkit.widgets.SortableTable. Sorting and formatting happen in Python; this only draws
// the rows it is given and reports clicks through the model's traits.
function render({ model, el }) {
  function pick(id) {
    model.set("selected", id);
    model.save_changes();
  }
  function sortBy(column) {
    if (model.get("sort_by") === column.key) {
      model.set("descending", !model.get("descending"));
    } else {
      model.set("sort_by", column.key);  // Python sets the direction for a new column
    }
    model.save_changes();
  }
  function draw() {
    const columns = model.get("columns");
    const table = document.createElement("table");
    table.className = "kk-sortable";
    // the caption above the table, not a <caption>: that is as narrow as the table, one
    // word wide while the rows are computed ("Computing every account's key figures...")
    const caption = document.createElement("div");
    caption.className = "kk-sortable-caption";
    caption.textContent = model.get("caption");
    const head = table.createTHead().insertRow();
    for (const column of columns) {
      const th = document.createElement("th");
      const sorted = model.get("sort_by") === column.key;
      const order = model.get("descending") ? "descending" : "ascending";
      th.textContent = column.label + (sorted ? (order === "descending" ? " \u25BC" : " \u25B2") : "");
      th.setAttribute("aria-sort", sorted ? order : "none");
      th.setAttribute("role", "button");
      th.tabIndex = 0;
      th.className = column.numeric ? "num" : "";
      th.addEventListener("click", () => sortBy(column));
      th.addEventListener("keydown", (event) => {
        if (event.key === "Enter" || event.key === " ") { event.preventDefault(); sortBy(column); }
      });
      head.appendChild(th);
    }
    const body = table.createTBody();
    for (const row of model.get("rows")) {
      const tr = body.insertRow();
      tr.dataset.id = row.id;
      tr.tabIndex = 0;
      if (row.id === model.get("selected")) { tr.className = "kk-selected"; }
      for (const column of columns) {
        const td = tr.insertCell();
        td.textContent = row.cells[column.key] ?? "";
        if (column.numeric) { td.className = "num"; }
      }
      tr.addEventListener("click", () => pick(row.id));
      tr.addEventListener("keydown", (event) => {
        if (event.key === "Enter") { pick(row.id); }
      });
    }
    el.replaceChildren(...(model.get("caption") ? [caption] : []), table);
  }
  draw();
  for (const name of ["rows", "columns", "selected", "sort_by", "descending", "caption"]) {
    model.on(`change:${name}`, draw);
  }
}
export default { render };
