"""One module per behavioural question; register each in `fanzha.detection.registry`."""
