"""Template loading: short tags, dates, positions, and every way a file can be unreadable."""

from __future__ import annotations

import json
import time
import tracemalloc

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lambdalint.loading import DuplicateKey, LoadError, decode, load_file, load_text
from lambdalint.loading import yaml_loader
from lambdalint.loading.yaml_loader import load_yaml


def load(text: str, name: str = "t.yaml"):
    return load_text(text, name).data


def load_error(text: str) -> LoadError:
    with pytest.raises(LoadError) as caught:
        load_text(text, "t.yaml")
    return caught.value


# -- tags ------------------------------------------------------------------------------


def _tags(node):
    """Every node's tag, depth first."""
    found = [node.tag]
    if isinstance(node.value, list):
        for item in node.value:
            for part in item if isinstance(item, tuple) else (item,):
                found += _tags(part)
    return found


def test_the_safe_loader_has_no_path_resolvers_so_a_tag_depends_on_the_text_alone():
    assert not yaml.CSafeLoader.yaml_path_resolvers and not yaml.SafeLoader.yaml_path_resolvers


_SCALAR_TEXT = st.one_of(st.text(max_size=12), st.sampled_from(
    ["", "~", "null", "yes", "No", "on", "0x1f", "0o17", "017", "1_000", "1e3", ".inf", "-.NaN", "2010-09-09",
     "<<", "=", "12:30:00", "3.", "+1", "true", "Ref"]))


@settings(max_examples=200, deadline=None)
@given(values=st.lists(_SCALAR_TEXT, min_size=1, max_size=8), quoted=st.booleans())
def test_remembered_tags_are_pyyamls(values, quoted):
    """The loader that remembers plain scalars' tags composes the tags PyYAML's safe loader does,
    a second time from memory as the first."""
    text = "\n".join(f"- {json.dumps(value) if quoted else json.dumps(value)[1:-1]}" for value in values)
    text += "\n- {k: [1, a]}\n"
    try:
        expected = _tags(yaml.compose(text, Loader=yaml.CSafeLoader))
    except yaml.YAMLError:
        return  # not a plain scalar YAML can hold
    for _ in range(2):
        assert _tags(yaml.compose(text, Loader=yaml_loader._Loader)) == expected


# -- short tags ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "source, expected",
    [
        ("!Ref Bucket", {"Ref": "Bucket"}),
        ("!Condition IsProd", {"Condition": "IsProd"}),
        ("!GetAtt Fn.Arn", {"Fn::GetAtt": ["Fn", "Arn"]}),
        ("!GetAtt Db.Endpoint.Address", {"Fn::GetAtt": ["Db", "Endpoint.Address"]}),
        ("!GetAtt [Fn, Arn]", {"Fn::GetAtt": ["Fn", "Arn"]}),
        ("!Sub 'arn:${AWS::Partition}:s3:::${Bucket}'", {"Fn::Sub": "arn:${AWS::Partition}:s3:::${Bucket}"}),
        ("!Sub ['${A}-x', {A: !Ref B}]", {"Fn::Sub": ["${A}-x", {"A": {"Ref": "B"}}]}),
        ("!If [IsProd, 1024, 128]", {"Fn::If": ["IsProd", 1024, 128]}),
        ("!Join ['-', [a, b]]", {"Fn::Join": ["-", ["a", "b"]]}),
        ("!Select [0, !GetAZs '']", {"Fn::Select": [0, {"Fn::GetAZs": ""}]}),
        ("!Split [',', 'a,b']", {"Fn::Split": [",", "a,b"]}),
        ("!FindInMap [M, K1, K2]", {"Fn::FindInMap": ["M", "K1", "K2"]}),
        ("!ImportValue SharedArn", {"Fn::ImportValue": "SharedArn"}),
        ("!Base64 hello", {"Fn::Base64": "hello"}),
        ("!Cidr [10.0.0.0/16, 4, 8]", {"Fn::Cidr": ["10.0.0.0/16", 4, 8]}),
        ("!Equals [a, b]", {"Fn::Equals": ["a", "b"]}),
        ("!And [!Condition A, !Condition B]", {"Fn::And": [{"Condition": "A"}, {"Condition": "B"}]}),
        ("!Or [!Condition A, !Condition B]", {"Fn::Or": [{"Condition": "A"}, {"Condition": "B"}]}),
        ("!Not [!Condition A]", {"Fn::Not": [{"Condition": "A"}]}),
        ("!Transform {Name: AWS::Include, Parameters: {Location: s3://b/k}}",
         {"Fn::Transform": {"Name": "AWS::Include", "Parameters": {"Location": "s3://b/k"}}}),
        ("!ValueOf [Subnets, VpcId]", {"Fn::ValueOf": ["Subnets", "VpcId"]}),
    ],
)
def test_short_tag_becomes_long_form(source, expected):
    assert load(f"Value: {source}\n")["Value"] == expected


def test_short_tags_in_block_sequence_form():
    text = """\
Value: !If
  - IsProd
  - !Sub
    - "${Name}-prod"
    - Name: !Ref Base
  - !Ref AWS::NoValue
"""
    assert load(text)["Value"] == {
        "Fn::If": ["IsProd", {"Fn::Sub": ["${Name}-prod", {"Name": {"Ref": "Base"}}]}, {"Ref": "AWS::NoValue"}]
    }


def test_nested_short_tags_three_deep():
    text = "Value: !Join ['', [!Select [0, !Split ['/', !GetAtt Api.RootResourceId]], x]]\n"
    assert load(text)["Value"] == {
        "Fn::Join": ["", [{"Fn::Select": [0, {"Fn::Split": ["/", {"Fn::GetAtt": ["Api", "RootResourceId"]}]}]}, "x"]]
    }


def test_dates_stay_strings():
    data = load("AWSTemplateFormatVersion: 2010-09-09\nWhen: 2001-12-14t21:59:43.10-05:00\n")
    assert data["AWSTemplateFormatVersion"] == "2010-09-09"
    assert data["When"] == "2001-12-14t21:59:43.10-05:00"


def test_scalars_keep_their_yaml_types():
    data = load("Int: 128\nFloat: 1.5\nBool: true\nNothing: ~\nQuoted: '128'\n")
    assert data == {"Int": 128, "Float": 1.5, "Bool": True, "Nothing": None, "Quoted": "128"}


def test_yaml_merge_keys_are_merged_and_local_keys_win():
    text = """\
Defaults: &defaults
  Runtime: python3.12
  Timeout: 3
Fn:
  <<: *defaults
  Timeout: 30
"""
    assert load(text)["Fn"] == {"Runtime": "python3.12", "Timeout": 30}


def test_merge_key_of_a_list_of_maps_earlier_wins():
    text = "A: &a {x: 1}\nB: &b {x: 2, y: 2}\nC:\n  <<: [*a, *b]\n"
    assert load(text)["C"] == {"x": 1, "y": 2}


def test_merge_key_on_a_scalar_is_a_load_error():
    error = load_error("A: &a 1\nC:\n  <<: *a\n")
    assert "merge" in error.message
    assert (error.line, error.column) == (1, 4)  # the value that is not a mapping


# -- positions ---------------------------------------------------------------------------

YAML_TEMPLATE = """\
AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Layers:
        - arn:aws:lambda:us-east-1:123456789012:layer:a:1
        - !Ref LayerB
      Role: !GetAtt Role.Arn
      MemorySize: !If
        - IsProd
        - 1024
        - 128
      Environment:
        Variables: {A: '1', B: !Sub '${AWS::Region}'}
"""


@pytest.mark.parametrize(
    "path, position",
    [
        ((), (1, 1)),
        (("Resources",), (2, 1)),
        (("Resources", "Fn"), (3, 3)),
        (("Resources", "Fn", "Properties", "Layers"), (6, 7)),
        (("Resources", "Fn", "Properties", "Layers", 0), (7, 11)),
        (("Resources", "Fn", "Properties", "Layers", 1), (8, 11)),
        (("Resources", "Fn", "Properties", "Layers", 1, "Ref"), (8, 11)),
        (("Resources", "Fn", "Properties", "Role"), (9, 7)),
        (("Resources", "Fn", "Properties", "Role", "Fn::GetAtt", 1), (9, 7)),
        (("Resources", "Fn", "Properties", "MemorySize", "Fn::If", 0), (11, 11)),
        (("Resources", "Fn", "Properties", "MemorySize", "Fn::If", 2), (13, 11)),
        (("Resources", "Fn", "Properties", "Environment", "Variables", "B"), (15, 29)),
        (("Resources", "Fn", "Properties", "Environment", "Variables", "B", "Fn::Sub"), (15, 29)),
    ],
)
def test_yaml_locate(path, position):
    assert load_text(YAML_TEMPLATE, "t.yaml").locate(path) == position


@pytest.mark.parametrize(
    "path, position",
    [
        # a missing tail falls back to the nearest existing parent
        (("Resources", "Fn", "Properties", "Timeout"), (5, 5)),
        (("Resources", "Fn", "Properties", "Layers", 7), (6, 7)),
        (("Resources", "Fn", "Properties", "Layers", "notanindex"), (6, 7)),
        (("Resources", "Nope", "Properties"), (2, 1)),
        (("Globals", "Function", "Timeout"), (1, 1)),
        # a path that names the wrong intrinsic stops at the tagged value's key
        (("Resources", "Fn", "Properties", "Role", "Ref"), (9, 7)),
    ],
)
def test_yaml_locate_falls_back_to_nearest_parent(path, position):
    assert load_text(YAML_TEMPLATE, "t.yaml").locate(path) == position


def test_yaml_locate_integer_looking_keys():
    document = load_text("Mappings:\n  M:\n    '123':\n      Ami: x\n    456:\n      Ami: y\n", "t.yaml")
    assert document.locate(("Mappings", "M", "123", "Ami")) == (4, 7)
    assert document.locate(("Mappings", "M", 456, "Ami")) == (6, 7)


JSON_TEMPLATE = """\
{
  "Resources": {
    "Fn": {
      "Type": "AWS::Lambda::Function",
      "Properties": {
        "Description": "quote \\" brace } bracket ] colon : \\u00e9",
        "Layers": [ "a", {"Ref": "B"},
                    [1, [2, 3]] ],
        "Environment": {"Variables": {"K\\"ey": "v", "Empty": {}, "List": []}},
        "Timeout": 30
      }
    }
  }
}
"""


@pytest.mark.parametrize(
    "path, position",
    [
        (("Resources",), (2, 3)),
        (("Resources", "Fn", "Type"), (4, 7)),
        (("Resources", "Fn", "Properties", "Description"), (6, 9)),
        (("Resources", "Fn", "Properties", "Layers", 0), (7, 21)),
        (("Resources", "Fn", "Properties", "Layers", 1), (7, 26)),
        (("Resources", "Fn", "Properties", "Layers", 1, "Ref"), (7, 27)),
        (("Resources", "Fn", "Properties", "Layers", 2, 1, 0), (8, 26)),
        (("Resources", "Fn", "Properties", "Environment", "Variables", 'K"ey'), (9, 39)),
        (("Resources", "Fn", "Properties", "Environment", "Variables", "Empty"), (9, 53)),
        (("Resources", "Fn", "Properties", "Environment", "Variables", "List"), (9, 66)),
        # after the string full of JSON punctuation, positions are still right
        (("Resources", "Fn", "Properties", "Timeout"), (10, 9)),
        # fallbacks
        (("Resources", "Fn", "Properties", "MemorySize"), (5, 7)),
        (("Resources", "Fn", "Properties", "Layers", 9), (7, 9)),
        (("Resources", "Fn", "Properties", "Environment", "Variables", "Empty", "x"), (9, 53)),
        (("Resources", "Fn", "Properties", "Timeout", "deeper"), (10, 9)),
    ],
)
def test_json_locate(path, position):
    document = load_text(JSON_TEMPLATE, "t.json")
    assert document.format == "json"
    assert document.locate(path) == position


def test_json_values_are_plain():
    data = load_text(JSON_TEMPLATE, "t.json").data
    props = data["Resources"]["Fn"]["Properties"]
    assert props["Description"] == 'quote " brace } bracket ] colon : \u00e9'
    assert props["Environment"]["Variables"] == {'K"ey': "v", "Empty": {}, "List": []}


def test_locate_reports_the_key_of_a_mapping_entry_not_its_value():
    # findings on a property sit on its key, which is where a reader looks
    document = load_text("Resources:\n  Fn:\n    Properties:\n      Timeout:\n        1800\n", "t.yaml")
    assert document.locate(("Resources", "Fn", "Properties", "Timeout")) == (4, 7)


# -- load errors -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, position, words",
    [
        ("Resources:\n  Fn: [unclosed\n", (3, 1), "YAML syntax"),
        ('{"Resources": {"A": 1,}}', (1, 23), "JSON syntax"),
        ("- a\n- b\n", (1, 1), "the top level is a list"),
        ('["a"]', (1, 1), "the top level is a list"),
        ("just a scalar\n", (1, 1), "the top level is a scalar"),
        ("Value: !Unknown x\n", (1, 8), "unknown tag !Unknown"),
        ("Value: !Unknown [1, 2]\n", (1, 8), "unknown tag !Unknown"),
        ("Value: !Unknown {a: 1}\n", (1, 8), "unknown tag !Unknown"),
        ("A: &a [*a]\n", (1, 4), "recursive YAML alias"),
        ("A: &a {b: *a}\n", (1, 4), "recursive YAML alias"),
        ("A: &a !If [*a]\n", (1, 4), "recursive YAML alias"),
        ("A: !!int twelve\n", (1, 4), "not a valid int"),
        ("A: !!int\n", (1, 4), "not a valid int"),
        ("A: !!bool maybe\n", (1, 4), "not a valid bool"),
    ],
)
def test_load_errors_have_message_and_position(text, position, words):
    error = load_error(text)
    assert words in error.message
    assert (error.line, error.column) == position


@pytest.mark.parametrize(
    "text, position",
    [
        ("Resources:\n\tFn: x\n", (2, 1)),
        ("Resources:\n  Fn:\n  \tType: x\n", (3, 3)),
        ("Resources:\n  Fn:\n    Type: x\n\tOther: y\n", (4, 1)),
    ],
)
def test_tab_indentation_says_it_is_a_tab(text, position):
    error = load_error(text)
    assert "tab" in error.message
    assert (error.line, error.column) == position


def test_tab_inside_a_value_is_fine():
    assert load("A: 'x\ty'\nB: x\ty\n") == {"A": "x\ty", "B": "x\ty"}


@pytest.mark.parametrize("text", ["", "   ", "\n\n\n", " \t \n  \r\n"])
def test_empty_or_whitespace_only(text):
    error = load_error(text)
    assert "empty" in error.message
    assert (error.line, error.column) == (1, 1)


def test_comment_only_yaml_is_empty():
    assert "empty" in load_error("# nothing here\n").message


@pytest.mark.parametrize(
    "raw, position, byte",
    [
        (b"A: \xff\n", (1, 4), "0xff"),
        (b"Resources:\n  Fn: caf\xe9\n", (2, 10), "0xe9"),
        (b"A: 1\nB: \xc3(\n", (2, 4), "0xc3"),
    ],
)
def test_non_utf8_points_at_the_bad_byte(raw, position, byte):
    with pytest.raises(LoadError) as caught:
        decode(raw)
    assert "UTF-8" in caught.value.message and byte in caught.value.message
    assert (caught.value.line, caught.value.column) == position


def test_binary_file_is_refused(tmp_path):
    path = tmp_path / "lib.so.yaml"
    path.write_bytes(b"\x7fELF\x02\x01\x01\x00\x00\x00" + bytes(range(256)) * 4)
    with pytest.raises(LoadError) as caught:
        load_file(str(path))
    assert "binary" in caught.value.message


def test_utf8_bom_and_utf16_are_read(tmp_path):
    bom = tmp_path / "bom.yaml"
    bom.write_bytes(b"\xef\xbb\xbfResources: {}\n")
    assert load_file(str(bom)).data == {"Resources": {}}
    utf16 = tmp_path / "u16.yaml"
    utf16.write_bytes("Resources: {}\n".encode("utf-16"))
    assert load_file(str(utf16)).data == {"Resources": {}}


def test_missing_file_is_a_load_error(tmp_path):
    with pytest.raises(LoadError) as caught:
        load_file(str(tmp_path / "absent.yaml"))
    assert "cannot read" in caught.value.message


def _nested_yaml(levels: int) -> str:
    lines = ["Resources:"]
    for depth in range(levels):
        lines.append("  " * (depth + 1) + f"k{depth}:")
    lines.append("  " * (levels + 1) + "leaf: 1")
    return "\n".join(lines) + "\n"


def test_fifty_levels_load_in_yaml_and_json():
    data = load(_nested_yaml(50))
    node = data["Resources"]
    for depth in range(50):
        node = node[f"k{depth}"]
    assert node == {"leaf": 1}
    text = '{"Resources": ' + '{"a": ' * 50 + "1" + "}" * 50 + "}"
    document = load_text(text, "deep.json")
    assert document.locate(("Resources",) + ("a",) * 50) == (1, 2 + len('"Resources": ') + 6 * 49 + 1)


@pytest.mark.parametrize(
    "text",
    [
        _nested_yaml(1000),
        "A: " + "[" * 1000 + "]" * 1000 + "\n",
        '{"A": ' + "[" * 1000 + "]" * 1000 + "}",
        '{"A": ' + '{"a": ' * 1000 + "1" + "}" * 1000 + "}",
        '{"A": ' + "[" * 200_000 + "]" * 200_000 + "}",
    ],
    ids=["yaml-block", "yaml-flow", "json-list", "json-map", "json-200k"],
)
def test_thousand_levels_is_a_load_error_not_recursion_error(text):
    error = load_error(text)  # pytest.raises(LoadError) would not catch RecursionError
    # the wording and position differ with the PyYAML release (6.0.4+ bounds nesting itself)
    assert "deep" in error.message or "nested" in error.message
    assert 1 <= error.line <= max(1, len(text.splitlines()))
    assert error.column >= 1


def _billion_laughs() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    previous = "a"
    for name in "bcdefghi":
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
        previous = name
    return "\n".join(lines) + "\n"


def test_alias_bomb_fails_fast_with_bounded_memory():
    tracemalloc.start()
    started = time.process_time()
    try:
        error = load_error(_billion_laughs())
        elapsed = time.process_time() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "alias" in error.message
    assert elapsed < 5
    assert peak < 50 * 1024 * 1024


def test_shared_aliases_below_the_bound_load():
    text = "a: &a {x: 1}\nb: [*a, *a, *a]\n"
    assert load(text)["b"] == [{"x": 1}] * 3


# -- duplicate keys: the last one is kept, as CloudFormation deploys it, and recorded ------


@pytest.mark.parametrize(
    "text, name, data, duplicates",
    [
        ("Resources:\n  Fn:\n    Type: a\n    Type: b\n", "t.yaml", {"Resources": {"Fn": {"Type": "b"}}},
         [DuplicateKey(("Resources", "Fn", "Type"), 4, 5, ((3, 5),))]),
        ("Resources:\n  A:\n    P: {x: 1, x: 2, x: 3}\n", "t.yaml", {"Resources": {"A": {"P": {"x": 3}}}},
         [DuplicateKey(("Resources", "A", "P", "x"), 3, 21, ((3, 9), (3, 15)))]),
        ('{"Resources": {"A": {"Type": "x", "Type": "y"}}}', "t.json", {"Resources": {"A": {"Type": "y"}}},
         [DuplicateKey(("Resources", "A", "Type"), 1, 35, ((1, 22),))]),
        ('{"A": 1,\n "B": {"C": 1},\n "A": 2}', "t.json", {"A": 2, "B": {"C": 1}},
         [DuplicateKey(("A",), 3, 2, ((1, 2),))]),
        # inside a short-form intrinsic and a list: the path names the long form and the index
        ("V: !If [C, {a: 1, a: 2}, x]\n", "t.yaml", {"V": {"Fn::If": ["C", {"a": 2}, "x"]}},
         [DuplicateKey(("V", "Fn::If", 1, "a"), 1, 19, ((1, 13),))]),
        ('{"L": [{"k": 1}, {"k": 1, "k": 2}]}', "t.json", {"L": [{"k": 1}, {"k": 2}]},
         [DuplicateKey(("L", 1, "k"), 1, 27, ((1, 19),))]),
        # a repeat inside a value that a later key replaced is not in what deploys
        ("A:\n  x: 1\n  x: 2\nA:\n  y: 3\n", "t.yaml", {"A": {"y": 3}},
         [DuplicateKey(("A",), 4, 1, ((1, 1),))]),
        ('{"A": {"x": 1, "x": 2}, "A": {"y": 3}}', "t.json", {"A": {"y": 3}},
         [DuplicateKey(("A",), 1, 25, ((1, 2),))]),
        # an anchored mapping is reported once, where it is written
        ("a: &a {x: 1, x: 2}\nb: [*a, *a]\n", "t.yaml", {"a": {"x": 2}, "b": [{"x": 2}, {"x": 2}]},
         [DuplicateKey(("a", "x"), 1, 14, ((1, 8),))]),
        # a key that overrides a merged one is no duplicate
        ("a: &a {x: 1}\nb:\n  <<: *a\n  x: 2\n", "t.yaml", {"a": {"x": 1}, "b": {"x": 2}}, []),
    ],
)
def test_duplicate_keys_keep_the_last_value_and_are_recorded(text, name, data, duplicates):
    document = load_text(text, name)
    assert document.data == data
    assert list(document.duplicates) == duplicates
    for duplicate in duplicates:  # the key is found where it was written last, with the value kept
        assert document.locate(duplicate.path) == (duplicate.line, duplicate.column)


def test_templates_without_duplicates_record_none():
    assert load_text(YAML_TEMPLATE, "t.yaml").duplicates == ()
    assert load_text(JSON_TEMPLATE, "t.json").duplicates == ()


_KEYS = st.sampled_from(["a", "b", "c"])
_OBJECTS = st.recursive(
    st.integers(min_value=0, max_value=9),
    lambda children: st.lists(st.tuples(_KEYS, children), max_size=4).map(lambda pairs: ("obj", pairs))
    | st.lists(children, max_size=3).map(lambda items: ("list", items)),
    max_leaves=12,
)


def _as_json(value) -> str:
    if isinstance(value, int):
        return str(value)
    kind, content = value
    if kind == "list":
        return "[" + ", ".join(_as_json(item) for item in content) + "]"
    return "{" + ", ".join(f'"{key}": {_as_json(item)}' for key, item in content) + "}"


def _repeated_paths(value, path=()):
    """Where a key is repeated, in the values that are kept (the last of each key)."""
    if isinstance(value, int):
        return set()
    kind, content = value
    if kind == "list":
        return set().union(*(_repeated_paths(item, path + (i,)) for i, item in enumerate(content)))
    found = set()
    last = {}
    for key, item in content:
        if key in last:
            found.add(path + (key,))
        last[key] = item
    for key, item in last.items():
        found |= _repeated_paths(item, path + (key,))
    return found


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_KEYS, _OBJECTS), max_size=4))
def test_json_and_yaml_agree_with_last_wins_on_any_repeats(pairs):
    text = _as_json(("obj", pairs))
    expected_paths = _repeated_paths(("obj", pairs))
    for document in (load_text(text, "t.json"), load_yaml(text, "t.yaml")):  # JSON is YAML flow
        assert document.data == json.loads(text)  # Python's json keeps the last value, as CloudFormation
        assert {d.path for d in document.duplicates} == expected_paths
        for duplicate in document.duplicates:
            assert document.locate(duplicate.path) == (duplicate.line, duplicate.column)
            assert all(earlier < (duplicate.line, duplicate.column) for earlier in duplicate.earlier)


# -- no input crashes the loader -----------------------------------------------------------

_YAMLISH = st.sampled_from(
    list("ab:-{}[],\"'!&*<>|\n\t #?%@`\\ 0123.")
    + ["!Ref ", "!GetAtt ", "!If ", "!Sub ", "<<: ", "&a ", "*a", "!!int ", "!!bool ", "!!str ",
       "\x00", "\ufeff", "\x85", "\u2028", "\ud800", "---\n", "...\n", "%YAML 1.1\n", "  "]
)


@pytest.mark.slow
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=80), st.lists(_YAMLISH, max_size=40).map("".join)))
def test_any_text_raises_only_load_error(text):
    try:
        document = load_text(text, "fuzz.yaml")
    except LoadError as error:
        assert error.line >= 1 and error.column >= 1
        return
    assert isinstance(document.data, dict)
    document.locate(("a", 0, "Fn::If", 1))


_JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=3), children, max_size=3),
    max_leaves=10,
)


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(_JSONISH, st.integers(min_value=0, max_value=60), st.sampled_from(["", ",", "}", "]", ":", '"', "{", "\\"]))
def test_damaged_json_raises_only_load_error(value, cut, junk):
    text = json.dumps({"Resources": value})
    text = text[:cut] + junk + text[cut:]
    try:
        load_text(text, "fuzz.json")
    except LoadError as error:
        assert error.line >= 1 and error.column >= 1


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=120))
def test_any_bytes_raise_only_load_error(raw):
    try:
        load_text(decode(raw), "fuzz.yaml")
    except LoadError as error:
        assert error.line >= 1 and error.column >= 1
