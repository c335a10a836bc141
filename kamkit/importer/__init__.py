"""Bring your own data: a flat sales export (ERP or CRM, CSV or .xlsx) into a workbook.

- ``mapping``: which export column holds which fact (``ImportMapping``, a YAML file);
- ``suggest``: a first mapping from an export's headers and values (English and Dutch);
  country names become ISO 3166 codes by ``kamkit.countries`` (shared with validation);
- ``source``: the export read and typed by the workbook's own reader and parser;
- ``codes`` and ``reference``: codes and rows for new accounts, services, locations, team;
- ``aggregate``: lines summed to month x account x service x location, credit notes netted;
- ``kamkit.manifest``: what the import created, so rows a person edited are never
  overwritten (outside this package: validation reads it too);
- ``merge`` and ``write``: the change planned per file, checked on a copy, written atomically;
- ``reconcile``: lines read and skipped, revenue per year export against workbook;
- ``importing``: ``import_export``, all of the above in order;
- ``contacts``: ``import_contacts``, a CRM's contacts into contacts.csv.

Example::

    from kamkit.importer import import_export, suggest_mapping
    mapping = suggest_mapping("orders.csv")          # check it, or load_mapping(path)
    result = import_export("orders.csv", mapping, "my-workbook", key_accounts=10)
    print("\\n".join(result.lines()))
"""

from kamkit.importer.contacts import ContactsResult, import_contacts
from kamkit.importer.importing import ImportResult, import_export
from kamkit.importer.mapping import ContactsMapping, ImportMapping, load_mapping
from kamkit.importer.reconcile import Reconciliation

__all__ = ["ContactsMapping", "ContactsResult", "ImportMapping", "ImportResult",
           "Reconciliation", "import_contacts", "import_export", "load_mapping"]
