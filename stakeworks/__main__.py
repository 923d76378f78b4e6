import sys

from stakeworks.cli import main

sys.exit(main())
