"""The one build step pyproject.toml cannot say: copy the notebooks and the sample articles into the wheel.

They live at the project's root (``notebooks/``, ``seeds/``) where analysts and
the tests use them; an installed package finds its copies in
``analysis/bundle/`` (``analysis.config``), so ``newsframes run`` and
``newsframes init`` work from any folder.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


class BuildWithBundle(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads the clone's own folders
        bundle = Path(self.build_lib) / "analysis" / "bundle"
        for name, pattern in (("notebooks", "[0-9][0-9]_*.ipynb"), ("seeds", "*")):
            target = bundle / name
            target.mkdir(parents=True, exist_ok=True)
            for path in sorted((ROOT / name).glob(pattern)):
                if path.is_file():
                    shutil.copy2(path, target / path.name)


setup(cmdclass={"build_py": BuildWithBundle})
