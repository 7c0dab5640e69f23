"""``python -m scraper.cli``: the ``akhbar`` command."""

import sys

from scraper.cli.main import main

sys.exit(main())
