"""``python -m pregon.ocds``: the toolkit's command line (see :mod:`pregon.ocds.cli`)."""

import sys

from pregon.ocds.cli import main

sys.exit(main())
