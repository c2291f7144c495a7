"""fanzha: anti-telecom-fraud early-warning and dissuasion platform."""
