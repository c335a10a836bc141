"""Import time saved in worker processes, kernels and test processes, without changing what
they do.

``import jsonschema`` (done by Altair in the kernel, and by nbformat in a worker) imports
every optional format checker it finds. ``rfc3987_syntax``, installed because
jupyter_events asks for jsonschema's format extras, compiles a grammar when imported:
about 1.2 s of a kernel's start. It only checks the formats "iri" and "iri-reference", which
no schema validated here uses (Vega-Lite's and nbformat's use "uri", "uri-reference" and
"color-hex"). Marking it absent before jsonschema is imported makes jsonschema skip those two
checks and nothing else; the package stays installed for whoever needs it.

The tests load ``kamkit.pytest_plugin`` first (``-p`` in pyproject's addopts), which does
this before pytest loads nbval (whose nbformat imports jsonschema).
"""

from __future__ import annotations

import sys

UNUSED = "rfc3987_syntax"

KERNEL_PRELUDE = f"import sys\nsys.modules.setdefault({UNUSED!r}, None)\n"
"""The same, as code a fresh kernel runs before any notebook."""


def skip_unused_format_checker() -> None:
    """Keep jsonschema from importing ``rfc3987_syntax`` in this process; call it before
    anything imports jsonschema."""
    # None in sys.modules makes an import fail (documented); typeshed allows modules only.
    sys.modules.setdefault(UNUSED, None)  # type: ignore[arg-type]
