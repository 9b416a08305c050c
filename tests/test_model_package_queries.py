"""The model's answers to the questions the LL1 rules ask: which packages there are, what
native code they hold, which runtimes a layer serves, where code in S3 or an image is written."""

from __future__ import annotations

import textwrap

import pytest

from lambdalint.findings import Severity
from lambdalint.loading import load_file
from lambdalint.model import TemplateModel
from lambdalint.model import packages as packages_model
from lambdalint.model.code import image_uri, is_cdk_asset, s3_code, sam_builds_image, template_size
from lambdalint.model.handlers import handler_source, handler_spec, typescript_only
from lambdalint.model.packages import (
    function_package,
    layer_runtimes,
    native_binaries,
    readable_packages,
    zip_function_packages,
)
from lambdalint.model.values import sub_text
from sample_templates import model_of
from packagecraft import elf, macho, write_zip

SAM = "Transform: AWS::Serverless-2016-10-31\nResources:\n"


@pytest.fixture(autouse=True)
def fresh_cache():
    packages_model.reset_package_cache()
    yield
    packages_model.reset_package_cache()


def model_at(folder, resources: str) -> TemplateModel:
    path = folder / "template.yaml"
    path.write_text(SAM + textwrap.indent(textwrap.dedent(resources), "  "), encoding="utf-8")
    return TemplateModel(load_file(str(path)))


TWO_FUNCTIONS_ONE_PACKAGE_AND_A_LAYER = """
    A:
      Type: AWS::Serverless::Function
      Properties: {Runtime: python3.12, Handler: app.handler, CodeUri: app.zip, Layers: [!Ref Deps]}
    B:
      Type: AWS::Serverless::Function
      Properties: {Runtime: python3.11, Handler: app.handler, CodeUri: app.zip}
    Deps:
      Type: AWS::Serverless::LayerVersion
      Properties: {ContentUri: deps.zip}
    Unused:
      Type: AWS::Serverless::LayerVersion
      Properties: {ContentUri: unused.zip}
"""


def _two_functions(tmp_path) -> TemplateModel:
    write_zip(tmp_path / "app.zip", {"app.py": "def handler(e, c):\n    pass\n"})
    write_zip(tmp_path / "deps.zip", {"python/lib.py": "X = 1\n"})
    write_zip(tmp_path / "unused.zip", {"python/other.py": "Y = 1\n"})
    return model_at(tmp_path, TWO_FUNCTIONS_ONE_PACKAGE_AND_A_LAYER)


def test_readable_packages_gives_each_package_once_functions_first(tmp_path):
    model = _two_functions(tmp_path)
    found = [(opened.location.owner, item.function.logical_id if item else None)
             for opened, item in readable_packages(model)]
    # app.zip once, with the first function using it; then the layers, with no function
    assert found == [("A", "A"), ("Deps", None), ("Unused", None)]


def test_zip_function_packages_pairs_each_function_with_its_package_and_layers(tmp_path):
    model = _two_functions(tmp_path)
    found = [(opened.location.owner, item.function.logical_id) for opened, item in zip_function_packages(model)]
    # A's package and its layer, B's package (written at another place: B's own CodeUri);
    # the unused layer belongs to no function
    assert found == [("A", "A"), ("Deps", "A"), ("B", "B")]


def test_zip_function_packages_leaves_out_image_functions(tmp_path):
    model = model_at(tmp_path, """
        Img:
          Type: AWS::Serverless::Function
          Properties: {PackageType: Image, ImageUri: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/a:1}
    """)
    assert list(zip_function_packages(model)) == []


def test_opened_hit_is_written_where_the_code_path_is_and_names_the_member(tmp_path):
    model = _two_functions(tmp_path)
    opened = function_package(model, model.function("A")).opened
    hit = opened.hit("message", "app.py", Severity.WARNING)
    assert hit.path == ("Resources", "A", "Properties", "CodeUri")
    assert (hit.message, hit.resource, hit.severity) == ("message", "A", Severity.WARNING)
    assert hit.artifact == opened.artifact("app.py")
    assert hit.artifact.member == "app.py"


def test_layer_runtimes_are_its_compatible_runtimes_else_its_users_runtimes(tmp_path):
    write_zip(tmp_path / "deps.zip", {"python/lib.py": "X = 1\n"})
    model = model_at(tmp_path, """
        A:
          Type: AWS::Serverless::Function
          Properties: {Runtime: python3.12, Handler: app.handler, CodeUri: s3://b/k.zip, Layers: [!Ref Users, !Ref Declared]}
        B:
          Type: AWS::Serverless::Function
          Properties: {Runtime: nodejs20.x, Handler: app.handler, CodeUri: s3://b/k.zip, Layers: [!Ref Users]}
        Users:
          Type: AWS::Serverless::LayerVersion
          Properties: {ContentUri: deps.zip}
        Declared:
          Type: AWS::Serverless::LayerVersion
          Properties: {ContentUri: deps.zip, CompatibleRuntimes: [python3.9]}
        Unknown:
          Type: AWS::Serverless::LayerVersion
          Properties: {ContentUri: deps.zip, CompatibleRuntimes: [!Ref Runtime]}
    """)
    assert layer_runtimes(model, model.resource("Declared")) == ["python3.9"]
    assert layer_runtimes(model, model.resource("Users")) == ["python3.12", "nodejs20.x"]
    assert layer_runtimes(model, model.resource("Unknown")) == []  # not known, and no function uses it


def test_native_binaries_reads_shared_libraries_addons_and_bootstrap_only(tmp_path):
    write_zip(tmp_path / "app.zip", {
        "lib/libx.so.1": elf("arm64"),
        "sharp.node": macho(),
        "bootstrap": elf("x86_64"),
        "readme.txt": elf("x86_64"),  # not a native name, not executable: not read
        "tiny.so": b"\x7fELF",  # too small to be a binary
    }, modes={"bootstrap": 0o755})
    model = model_at(tmp_path, """
        A:
          Type: AWS::Serverless::Function
          Properties: {Runtime: provided.al2023, Handler: x, CodeUri: app.zip}
    """)
    package = function_package(model, model.function("A")).package
    found = {name: (info.format, info.architecture) for name, info in native_binaries(package)}
    assert found == {"lib/libx.so.1": ("elf", "arm64"), "sharp.node": ("macho", "arm64"),
                     "bootstrap": ("elf", "x86_64")}
    assert native_binaries(package) is native_binaries(package)  # read once per package


def test_s3_code_reads_each_way_of_writing_code_in_s3():
    model = model_of("""
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Cfn:
            Type: AWS::Lambda::Function
            Properties: {Code: {S3Bucket: b, S3Key: k.zip, S3ObjectVersion: v1}}
          Sam:
            Type: AWS::Serverless::Function
            Properties: {CodeUri: {Bucket: b, Key: k.zip}}
          Uri:
            Type: AWS::Serverless::Function
            Properties: {CodeUri: "s3://b/path/k.zip?versionId=v2"}
          Local:
            Type: AWS::Serverless::Function
            Properties: {CodeUri: src/}
          Layer:
            Type: AWS::Lambda::LayerVersion
            Properties: {Content: {S3Bucket: b, S3Key: layer.zip}}
    """)
    assert s3_code(model.function("Cfn")) == (("Resources", "Cfn", "Properties", "Code"), "k.zip", True)
    assert s3_code(model.function("Sam")) == (("Resources", "Sam", "Properties", "CodeUri"), "k.zip", False)
    assert s3_code(model.function("Uri")) == (("Resources", "Uri", "Properties", "CodeUri"), "path/k.zip", True)
    assert s3_code(model.function("Local")) is None
    assert s3_code(model.resource("Layer")) == (("Resources", "Layer", "Properties", "Content"), "layer.zip", False)


def test_image_uri_is_where_and_what_the_template_wrote():
    model = model_of("""
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Cfn:
            Type: AWS::Lambda::Function
            Properties: {PackageType: Image, Code: {ImageUri: !Sub "${AWS::AccountId}.dkr.ecr.x/a:1"}}
          Sam:
            Type: AWS::Serverless::Function
            Metadata: {DockerContext: ., Dockerfile: Dockerfile}
            Properties: {PackageType: Image, ImageUri: app:latest}
          Zip:
            Type: AWS::Serverless::Function
            Properties: {CodeUri: src/}
    """)
    path, raw = image_uri(model.function("Cfn"))
    assert path == ("Resources", "Cfn", "Properties", "Code", "ImageUri")
    assert sub_text(raw) == "${AWS::AccountId}.dkr.ecr.x/a:1"
    assert image_uri(model.function("Sam")) == (("Resources", "Sam", "Properties", "ImageUri"), "app:latest")
    assert image_uri(model.function("Zip")) == (None, None)
    assert sam_builds_image(model.function("Sam")) and not sam_builds_image(model.function("Zip"))


@pytest.mark.parametrize("value, text", [
    ({"Fn::Sub": "a-${X}"}, "a-${X}"),
    ({"Fn::Sub": ["a-${X}", {"X": "b"}]}, "a-${X}"),
    ({"Fn::Sub": [{"Ref": "P"}]}, None),
    ({"Fn::Join": ["", ["a"]]}, None),
    ("plain", None),
])
def test_sub_text_is_the_template_string_of_a_sub(value, text):
    assert sub_text(value) == text


def test_cdk_assets_and_template_size(tmp_path):
    model = model_at(tmp_path, """
        Asset:
          Type: AWS::Lambda::Function
          Metadata: {aws:asset:path: asset.abc123}
          Properties: {Code: {S3Bucket: b, S3Key: abc123.zip}}
        Plain:
          Type: AWS::Lambda::Function
          Properties: {Code: {S3Bucket: b, S3Key: k.zip}}
    """)
    assert is_cdk_asset(model.resource("Asset")) and not is_cdk_asset(model.resource("Plain"))
    assert template_size(model) == (tmp_path / "template.yaml").stat().st_size
    assert template_size(model_of("Resources: {}")) is None  # t.yaml is not a file


def test_handler_source_reads_the_handler_file_and_typescript_only_spots_uncompiled_code(tmp_path):
    write_zip(tmp_path / "py.zip", {"app.py": "def handler(e, c):\n    pass\n"})
    write_zip(tmp_path / "ts.zip", {"index.ts": "export const handler = async () => 1;\n"})
    model = model_at(tmp_path, """
        Py:
          Type: AWS::Serverless::Function
          Properties: {Runtime: python3.12, Handler: app.handler, CodeUri: py.zip}
        Ts:
          Type: AWS::Serverless::Function
          Properties: {Runtime: nodejs20.x, Handler: index.handler, CodeUri: ts.zip}
    """)
    python = function_package(model, model.function("Py"))
    found = handler_source(python)
    assert (found.spec.function, found.file.member, found.file.in_layer) == ("handler", "app.py", False)
    assert found.text.startswith("def handler")
    node = function_package(model, model.function("Ts"))
    assert handler_source(node) is None  # no index.js: nothing to read
    assert typescript_only(node, handler_spec(node.function))
    assert not typescript_only(python, handler_spec(python.function))
