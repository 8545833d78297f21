"""``python -m exactmin`` runs the command line (the same as the ``exactmin`` command)."""
import sys

from .cli import main

sys.exit(main())
