"""The simulated city: population, normal life, fraud journeys and the ground truth to score against."""
