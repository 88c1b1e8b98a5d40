"""`python -m claimlens` is the `claimlens` command."""
from claimlens.cli import main

main(prog_name="claimlens")
