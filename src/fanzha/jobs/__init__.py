"""Background jobs: intake routing, the deadline scheduler, SMS delivery."""
