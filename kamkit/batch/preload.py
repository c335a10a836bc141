"""What every worker of a run uses, imported once by the fork server the workers are forked
from (``worker.context``): papermill, nbconvert, the renderer and kamkit with pandas, about
1.1 s of CPU that each worker spent again when it started as a fresh interpreter."""

from kamkit.speedups import skip_unused_format_checker

skip_unused_format_checker()  # before nbformat imports jsonschema

import kamkit.batch.render  # noqa: E402, F401  (imported for the forks)
