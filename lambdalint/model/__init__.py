"""The template model rules read: resources, functions with SAM Globals applied, resolved values."""

from .template import FUNCTION_TYPES, LAYER_TYPES, Function, Resource, TemplateModel, dig
from .values import NO_VALUE, UNKNOWN, Reference, is_intrinsic, is_known

__all__ = [
    "TemplateModel", "Function", "Resource", "dig", "FUNCTION_TYPES", "LAYER_TYPES",
    "UNKNOWN", "NO_VALUE", "Reference", "is_intrinsic", "is_known",
]
