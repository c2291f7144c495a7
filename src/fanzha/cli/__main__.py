"""`python -m fanzha.cli`."""

from fanzha.cli.main import main

main()
