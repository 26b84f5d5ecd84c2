"""The floor every stage stands on: domain types, errors, settings and the chunk text format."""
