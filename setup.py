"""Only here to ship macros/ (the add-in sources, kept at the repo root as the one source) inside wheels."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildPyWithAddinData(build_py):
    """Copy the ribbon XML and add-in configuration into perfeval_xl/addin_data/."""

    def run(self):
        super().run()
        target = Path(self.build_lib, "perfeval_xl", "addin_data")
        target.mkdir(parents=True, exist_ok=True)
        for name in ("customUI.xml", "addin.conf.yml"):
            shutil.copyfile(Path(__file__).parent / "macros" / name, target / name)


setup(cmdclass={"build_py": BuildPyWithAddinData})
