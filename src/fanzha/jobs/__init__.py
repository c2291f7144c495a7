"""Jobs at the edge: the workflow worker, retention, and the adapters that talk to banks and SMS gateways."""
