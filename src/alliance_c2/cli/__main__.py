"""`python -m alliance_c2.cli ...`: the same as `alliance-c2 ...`."""

from . import main

main()
