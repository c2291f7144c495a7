"""Detection: detectors, one behavioural question each, over keyed per-person state."""
