"""Stream: sources of raw records and the embedded runner that drives them through the pipeline."""
