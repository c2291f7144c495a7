"""Risk: turn signals into a score, a level (特高危/高/中/低) and the reasons behind them."""
