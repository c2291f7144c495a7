"""The JSON API under `/api`, one module per feature. API modules never import console modules."""
