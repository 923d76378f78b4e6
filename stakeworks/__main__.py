import sys

from stakeworks.cli.main import main

sys.exit(main())
