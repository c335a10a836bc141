"""Packaging beyond what pyproject.toml can say: the report notebooks ship inside the package.

The notebooks have one home, ``notebooks/`` at the top of the repository (where analysts
open them and nbval runs them); the wheel maps that folder to the package ``kamkit.notebooks``
so an installed kamkit finds them (``kamkit.batch.definition.NOTEBOOK_FOLDER``). Everything
else is in pyproject.toml.
"""

from setuptools import find_namespace_packages, setup

setup(
    packages=[*find_namespace_packages(include=["kamkit", "kamkit.*"]), "kamkit.notebooks"],
    package_dir={"kamkit.notebooks": "notebooks"},
)
