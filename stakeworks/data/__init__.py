"""Files shipped with the package (the demo portfolio, sample.db)."""
