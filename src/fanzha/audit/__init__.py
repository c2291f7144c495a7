"""The audit trail's vocabulary and the log filter that keeps personal data out of log lines. Pure."""
