"""LL7: Lambda@Edge - functions run by CloudFront distributions' LambdaFunctionAssociations.

One module per sub-family, rules in ID order; the registry finds them recursively.
"""
