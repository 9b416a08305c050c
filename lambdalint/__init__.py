"""lambdalint: a static linter for AWS Lambda deployments."""

# The one place the version is written: setup.cfg reads it (`attr:`), and so do
# `lambdalint --version` and SARIF. A development version until the release is cut
# (CHANGELOG.md, README Development).
__version__ = "0.1.0.dev0"
