"""Warnings (预警指令): one open warning per person and episode, enriched as new signals arrive."""
