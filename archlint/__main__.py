"""Allows `python -m archlint`."""

from archlint._entry import main

main()
