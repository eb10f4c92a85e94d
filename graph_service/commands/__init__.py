"""CLI command families; each module defines ``register(app)``."""
