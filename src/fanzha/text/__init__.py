"""The text model: normalisation, char n-gram features, a linear model with readable cues.

Offline and fast: scoring needs only NumPy and a small packaged artifact (`default_model.npz`);
scikit-learn is used for training only.
"""
