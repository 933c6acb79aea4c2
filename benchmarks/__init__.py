"""Runnable benchmarks, one module per measured claim: `python -m benchmarks.<name>`."""
