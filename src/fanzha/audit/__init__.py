"""The audit trail: its vocabulary, the log filter that keeps personal data out of log lines (pure), the
append-only log (`repository.py`) and the inspector's search (`queries.py`)."""
