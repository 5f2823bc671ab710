"""The library: models, objectives, training, checkpoints, sampling and the settings and data they share.
It imports nothing from the layers above it (measures, service, ui, the commands), which tests/test_layers.py checks."""
