"""``python -m imilo_audit.cli``: the command line (the scheduled monthly audit calls it so)."""

import sys

from .command_line import main

sys.exit(main())
