"""Closed-loop evaluation: the simulated city's stream through the platform, officers acting on warnings."""
