"""The instance reader now lives in :mod:`exactmin_kernel.instance` (one specification, docs/instance-format.md,
shared by the old kernel, the obligation kernel and, through tests/test_parser_differential.py, the library).
This module is that module (an alias), so patches and private names keep working."""
import sys

import exactmin_kernel.instance as _reader

sys.modules[__name__] = _reader
