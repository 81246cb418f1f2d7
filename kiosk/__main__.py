"""`python -m kiosk` runs the same command line as the `kiosk` console script."""

import sys

from kiosk.cli.main import main

sys.exit(main())
