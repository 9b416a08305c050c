"""LL5: security - execution roles, their permissions, resource policies and function URLs, secrets and signing."""
