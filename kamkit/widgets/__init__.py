"""The analyst's workbench in JupyterLab: explore any account and the portfolio, and edit
what people write about an account.

- ``Explorer``: pick an account (type to search), the as-of date, the language, years,
  services and locations; the views (spend and share of wallet, competitors, whitespace,
  contacts, history) and a sortable portfolio table update in place.
- ``Workbench``: the explorer with the editors of its account below (``DocumentEditor``:
  vision, SWOTs, conclusions, objectives with their SMART verdict, actions with their
  horizon), saved safely through ``kamkit.edit``.
- ``SortableTable``: the portfolio's table, a small anywidget.
- ``Guide``: the workbench notebook's guide, in the language its explorer shows.

Examples
--------
>>> from kamkit.widgets import Explorer
>>> explorer = Explorer(None, "MAAS", "2026Q3")   # the bundled demo
>>> explorer.pick("DELTA")
>>> explorer.account_id
'DELTA'
"""

from kamkit.widgets.document_editor import DocumentEditor
from kamkit.widgets.explorer import Explorer
from kamkit.widgets.guide import Guide
from kamkit.widgets.sortable_table import SortableTable, TableColumn
from kamkit.widgets.workbench import Workbench

__all__ = ["DocumentEditor", "Explorer", "Guide", "SortableTable", "TableColumn", "Workbench"]
