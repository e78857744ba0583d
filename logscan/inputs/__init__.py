"""Evidence inputs: files, folders and zip bundles turned into readable log sources."""
