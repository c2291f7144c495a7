"""Edge models: the signals that come in (events) and the entities they refer to."""
