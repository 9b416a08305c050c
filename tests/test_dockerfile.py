"""What lambdalint reads from an image asset's Dockerfile without building it (lambdalint.model.dockerfile)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lambdalint.model.dockerfile import ImageBuild, copied_file, parse, platform_architecture


def test_the_final_stage_decides():
    parsed = parse(
        "FROM python:3.12 AS build\n"
        "RUN make wheels\n"
        "FROM --platform=linux/arm64 public.ecr.aws/lambda/python:3.12\n"
        "COPY src/ ${LAMBDA_TASK_ROOT}/\n"
        "CMD [\"app.handler\"]\n")
    assert parsed.base == "public.ecr.aws/lambda/python:3.12"
    assert parsed.platform == "linux/arm64"
    assert parsed.command == ("app.handler",)
    assert parsed.sources == ("src/",)
    assert parsed.files_known  # the RUN is in the first stage, not the image
    assert parsed.lambda_base_family == "python"


def test_a_stage_built_on_an_earlier_one_inherits_it():
    parsed = parse("FROM public.ecr.aws/lambda/nodejs:22 AS base\nCOPY index.js ./\nCMD [\"index.handler\"]\n"
                   "FROM base\nCOPY lib ./lib\n")
    assert parsed.base == "public.ecr.aws/lambda/nodejs:22"
    assert parsed.command == ("index.handler",)
    assert parsed.sources == ("index.js", "lib")


@pytest.mark.parametrize("text", [
    "ARG BASE=python:3.12\nFROM $BASE\n",  # the base is chosen at build time
    "# escape=`\nFROM python:3.12\n",  # a parser directive
    "RUN echo no stage\n",
    "",
])
def test_what_the_text_does_not_decide_is_none(text):
    assert parse(text) is None


@pytest.mark.parametrize("line", [
    "COPY --from=build /out/ ./",
    "ADD https://example.com/app.tar.gz /var/task/",
    "COPY *.py ./",
    "ADD bundle.tar.gz ./",
    "RUN curl -o app.py https://example.com/app.py",
    "RUN pip install . --target /var/task",
])
def test_files_made_at_build_time_make_the_file_set_unknown(line):
    parsed = parse(f"FROM public.ecr.aws/lambda/python:3.12\n{line}\nCMD [\"app.handler\"]\n")
    assert not parsed.files_known


@pytest.mark.parametrize("line", ["RUN pip install -r requirements.txt --target ${LAMBDA_TASK_ROOT}",
                                  "RUN npm ci --omit=dev", "RUN dnf -y install libpq"])
def test_package_installs_keep_the_file_set_known(line):
    assert parse(f"FROM public.ecr.aws/lambda/python:3.12\n{line}\n").files_known


def test_shell_form_cmd_and_an_entrypoint_are_not_a_handler_command():
    assert parse("FROM public.ecr.aws/lambda/python:3.12\nCMD app.handler\n").command is None
    assert parse("FROM public.ecr.aws/lambda/python:3.12\nENTRYPOINT [\"/x\"]\nCMD [\"a.b\"]\n").command is None


def test_continuation_lines_are_joined():
    parsed = parse("FROM public.ecr.aws/lambda/python:3.12\nCOPY app.py \\\n  util.py ./\n")
    assert parsed.sources == ("app.py", "util.py")


@pytest.mark.parametrize("platform, architecture", [
    ("linux/amd64", "x86_64"), ("linux/arm64", "arm64"), ("linux/arm64/v8", "arm64"), ("LINUX/AMD64", "x86_64"),
    ("windows/amd64", None), ("linux", None), ("$TARGETPLATFORM", None), (None, None)])
def test_platform_architecture(platform, architecture):
    assert platform_architecture(platform) == architecture


def test_copied_file_looks_inside_copied_folders(tmp_path):
    (tmp_path / "src" / "pkg").mkdir(parents=True)
    (tmp_path / "src" / "pkg" / "mod.py").write_text("")
    (tmp_path / "other.py").write_text("")
    build = ImageBuild(str(tmp_path), parse("FROM public.ecr.aws/lambda/python:3.12\nCOPY src/ ./\n"), "Dockerfile",
                       None)
    assert copied_file(build, "pkg/mod.py")
    assert copied_file(build, "mod.py")
    assert not copied_file(build, "other.py")  # in the context, never copied
    outside = ImageBuild(str(tmp_path / "src"), parse("FROM python:3.12\nCOPY ../other.py ./\n"), "Dockerfile", None)
    assert not copied_file(outside, "other.py")  # a source leading out of the context is not followed


@settings(deadline=None)
@given(st.text(max_size=400))
def test_any_text_parses_or_is_none(text):
    parsed = parse(text)
    assert parsed is None or isinstance(parsed.sources, tuple)


def test_what_the_final_stage_runs_in_exec_form():
    parsed = parse("FROM python:3.12-slim\nCOPY app.py ./\nENTRYPOINT [\"python\"]\nCMD [\"app.py\"]\n")
    assert parsed.runs == (("python",), ("app.py",))
    assert parsed.plain_base and not parsed.mentions_client


@pytest.mark.parametrize("text, runs", [
    ("FROM python:3.12\nCMD python app.py\n", ((), None)),  # shell form: /bin/sh starts it
    ("FROM python:3.12\nENTRYPOINT python app.py\n", (None, ())),
    ("FROM python:3.12\n", ((), ())),
    ("FROM python:3.12 AS base\nCMD [\"python\", \"app.py\"]\nFROM base\n", ((), ("python", "app.py"))),
])
def test_shell_forms_are_not_read_and_unset_is_empty(text, runs):
    assert parse(text).runs == runs


@pytest.mark.parametrize("base, plain", [
    ("python:3.12-slim", True), ("docker.io/library/node:22", True), ("public.ecr.aws/docker/library/ruby:3.3", True),
    ("amazonlinux:2023", True), ("public.ecr.aws/amazonlinux/amazonlinux:2023", True), ("debian", True),
    ("public.ecr.aws/lambda/python:3.12", False),  # an AWS base image: has the client
    ("mycompany/python:3.12", False), ("ghcr.io/me/python:3.12", False),  # anyone's image may hold one
    ("python@sha256:" + "0" * 64, False),
])
def test_plain_bases_are_official_images_without_a_client(base, plain):
    assert parse(f"FROM {base}\n").plain_base is plain


@pytest.mark.parametrize("line", ["RUN pip install awslambdaric", "RUN npm install aws-lambda-ric",
                                  "COPY bootstrap ./", "# started by /lambda-entrypoint.sh"])
def test_a_client_anywhere_in_the_text_is_noticed(line):
    assert parse(f"FROM python:3.12\n{line}\nCMD [\"python\", \"app.py\"]\n").mentions_client


def test_copied_files_are_searched_for_a_client(tmp_path):
    from lambdalint.model.dockerfile import copied_files_mention_client

    (tmp_path / "app.py").write_text("print('hello')\n")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "requirements.txt").write_text("requests\n")
    parsed = parse("FROM python:3.12\nCOPY app.py ./\nCOPY src/ ./src/\nCMD [\"python\", \"app.py\"]\n")
    build = ImageBuild(str(tmp_path), parsed, "Dockerfile", None)
    assert copied_files_mention_client(build) is False
    (tmp_path / "src" / "requirements.txt").write_text("requests\nawslambdaric==3.0.0\n")
    assert copied_files_mention_client(build) is True
    (tmp_path / "src" / "requirements.txt").unlink()
    (tmp_path / "src" / "bootstrap").write_text("#!/bin/sh\n")
    assert copied_files_mention_client(build) is True
    missing = ImageBuild(str(tmp_path), parse("FROM python:3.12\nCOPY gone.py ./\n"), "Dockerfile", None)
    assert copied_files_mention_client(missing) is None  # not staged: not known what the build copies
    outside = ImageBuild(str(tmp_path / "src"), parse("FROM python:3.12\nCOPY ../app.py ./\n"), "Dockerfile", None)
    assert copied_files_mention_client(outside) is None
