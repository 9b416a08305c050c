"""LL1 sizes: the quotas on a zipped package, a package with its layers, and an image."""

from __future__ import annotations

from typing import Iterator

from lambdalint.findings import Hit, Severity
from lambdalint.model import TemplateModel
from lambdalint.model.packages import function_packages, readable_packages
from lambdalint.registry import rule

from . import MIB, QUOTAS, megabytes


@rule(id="LL1001", name="zip-over-direct-upload-limit", severity=Severity.WARNING,
      summary="Zipped package over 50 MB: it must be uploaded through S3", source=QUOTAS)
def check_zipped_size(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Measures local `.zip` packages of functions and layers against the 50 MB quota for a
    deployment package uploaded directly to Lambda.

    ## Why is this bad?
    Lambda refuses a direct upload over 50 MB ("RequestEntityTooLargeException"); the package
    has to go through an S3 bucket, and it usually means dependencies that do not belong in it.

    ## Example
    ```yaml
    Fn:
      Type: AWS::Serverless::Function
      Properties:
        CodeUri: dist/everything.zip    # 80 MB
    ```
    Use instead:
    ```yaml
    Fn:
      Type: AWS::Serverless::Function
      Properties:
        CodeUri: dist/function.zip      # dependencies moved to a layer
    ```
    """
    most = model.limit("package_zipped_direct_upload_mb_max") * MIB
    for opened, _ in readable_packages(model):
        package = opened.package
        if package.kind == "zip" and package.compressed_size and package.compressed_size > most:
            yield opened.hit(f"zipped package {opened.display} is {megabytes(package.compressed_size)}; "
                             f"direct uploads are limited to {megabytes(most)} (upload it through S3)")


@rule(id="LL1002", name="unzipped-size-with-layers", severity=Severity.ERROR,
      summary="Unzipped function package plus all its layers over 250 MB", source=QUOTAS)
def check_unzipped_size(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Adds up the unzipped size of a function's package and of every layer it uses that this
    template defines with local content. Layers from elsewhere (ARNs) are not known: the total
    is then a lower bound, and said so.

    ## Why is this bad?
    Lambda refuses to create or update a function whose code and layers exceed 250 MB unzipped.

    ## Example
    ```yaml
    Fn:
      Type: AWS::Serverless::Function
      Properties:
        CodeUri: build/         # 180 MB unzipped
        Layers: [!Ref Deps]     # 120 MB unzipped
    ```
    Use instead: trim dependencies, or move to a container image (up to 10 GB).
    """
    most = model.limit("package_unzipped_with_layers_mb_max") * MIB
    for item in function_packages(model):
        if item.opened is None or item.package is None or item.function.package_type == "Image":
            continue
        total = item.package.uncompressed_size
        parts = [f"function {megabytes(total)}"]
        for layer in item.known_layers():
            total += layer.package.uncompressed_size
            parts.append(f"layer {_layer_name(layer)} {megabytes(layer.package.uncompressed_size)}")
        if total > most:
            bound = "" if item.layers_known else " at least (layers from outside this template not counted)"
            shares = f" ({', '.join(parts)})" if len(parts) > 1 else ""
            yield item.opened.hit(f"function {item.function.logical_id}: package and layers take"
                                  f"{bound} {megabytes(total)} unzipped{shares}; the limit is {megabytes(most)}")


def _layer_name(layer) -> str:
    """The layer's logical ID, or its package path when it is not a resource of this template."""
    return layer.resource.logical_id if layer.resource is not None else layer.opened.display


@rule(id="LL1003", name="image-too-large", severity=Severity.ERROR,
      summary="Container image over 10 GB uncompressed", source=QUOTAS)
def check_image_size(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Adds up the uncompressed size of every layer of a function's container image, read from
    the local image given with `--image LOGICAL_ID=PATH` (a `docker save` tarball or an OCI
    layout). Without a local image nothing is checked.

    ## Why is this bad?
    Lambda refuses images over 10 GB uncompressed, including all layers.

    ## Example
    ```yaml
    Fn:
      Type: AWS::Lambda::Function
      Properties:
        PackageType: Image
        Code:
          ImageUri: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/ml:latest   # 12 GB
    ```
    Use instead: a slimmer base image, models loaded from S3 or EFS at run time.
    """
    most = model.limit("container_image_uncompressed_gb_max") * 1024 ** 3
    for item in function_packages(model):
        image = item.image
        if image is not None and image.uncompressed_size > most:
            bound = "" if image.complete else "at least "
            size_gb = image.uncompressed_size / 1024 ** 3
            yield Hit(item.code.path, f"image {item.image_display} is {bound}{size_gb:.1f} GB uncompressed; "
                                      f"Lambda allows {model.limit('container_image_uncompressed_gb_max')} GB",
                      item.function.logical_id)
