"""``python -m analysis``: see ``analysis.run.cli``."""

import sys

from analysis.run.cli import main

sys.exit(main())
