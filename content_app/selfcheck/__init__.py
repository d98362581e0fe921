"""The symptom self-check: a pure engine (engine.py) over a ruleset built from the published
content (ruleset.py), cached per content version."""
