"""lambdalint: a static linter for AWS Lambda deployments."""

__version__ = "0.1.0"
