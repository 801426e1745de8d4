"""Rules of the data-gravity concern, one per module: where data moves, what it costs and how long it takes."""
