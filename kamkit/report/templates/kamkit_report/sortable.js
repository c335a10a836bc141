// Sorts a report's tables of class kk-sortable by the heading clicked (again: the other way),
// as the workbench's kamkit/widgets/sortable_table.js does in JupyterLab, for a static page:
// each cell carries its raw value in data-value, so amounts sort as numbers while they show
// formatted; empty values sort last either way. A new column starts with its largest
// figures or its first names on top. Nothing is loaded from anywhere.
(() => {
  function sortBy(table, th, index) {
    const numeric = th.classList.contains("num");
    const current = th.getAttribute("aria-sort");
    const descending = current === "none" ? numeric : current === "ascending";
    const body = table.tBodies[0];
    const rows = [...body.rows];
    const value = (row) => row.cells[index].dataset.value ?? "";
    rows.sort((a, b) => {
      const x = value(a), y = value(b);
      if (x === "" || y === "") { return (x === "") - (y === ""); }
      const order = numeric ? Number(x) - Number(y) : x.localeCompare(y);
      return descending ? -order : order;
    });
    body.replaceChildren(...rows);
    for (const other of table.tHead.rows[0].cells) {
      other.setAttribute("aria-sort", "none");
      other.dataset.arrow = "";
    }
    th.setAttribute("aria-sort", descending ? "descending" : "ascending");
    th.dataset.arrow = descending ? " \u25BC" : " \u25B2";
  }
  for (const table of document.querySelectorAll("table.kk-sortable")) {
    [...table.tHead.rows[0].cells].forEach((th, index) => {
      th.setAttribute("aria-sort", "none");
      th.setAttribute("role", "button");
      th.tabIndex = 0;
      th.addEventListener("click", () => sortBy(table, th, index));
      th.addEventListener("keydown", (event) => {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          sortBy(table, th, index);
        }
      });
    });
  }
})();
