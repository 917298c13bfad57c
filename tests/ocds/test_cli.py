"""The command line: ``pregon ocds compile|validate|flatten|package`` called as a function and as a module."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import orjson
import pytest

from pregon.ocds import compile_release
from pregon.ocds.cli import main
from tests.ocds.builders import make_release, package, write_lines


@pytest.fixture
def jsonl(tmp_path: Path, releases: list[dict[str, Any]]) -> Path:
    return write_lines(tmp_path / "releases.jsonl", releases)


def test_compile_writes_json_lines_of_compiled_releases(
    jsonl: Path, releases: list[dict[str, Any]], capsysbinary: Any
) -> None:
    assert main(["compile", str(jsonl)]) == 0
    lines = capsysbinary.readouterr().out.splitlines()
    compiled = {item["ocid"]: item for item in map(orjson.loads, lines)}
    ocid = releases[0]["ocid"]
    assert compiled[ocid] == compile_release([r for r in releases if r["ocid"] == ocid])


def test_compile_a_record_package_with_versioned_releases(jsonl: Path, capsysbinary: Any) -> None:
    args = [
        "compile",
        "--package",
        "--versioned",
        "--uri",
        "https://example.org/r.json",
        "--publisher-name",
        "Ministry",
        str(jsonl),
    ]
    assert main(args) == 0
    data = orjson.loads(capsysbinary.readouterr().out)
    assert data["uri"] == "https://example.org/r.json"
    assert data["publisher"] == {"name": "Ministry"}
    assert {"compiledRelease", "versionedRelease"} <= set(data["records"][0])


def test_validate_exits_non_zero_with_the_errors(tmp_path: Path, capsysbinary: Any) -> None:
    bad = make_release(0)
    del bad["initiationType"]
    path = tmp_path / "package.json"
    path.write_bytes(orjson.dumps(package([make_release(1, "ocds-213czf-2"), bad])))
    assert main(["validate", str(path)]) == 1
    captured = capsysbinary.readouterr()
    assert captured.out == b"releases/1: 'initiationType' is missing but required\n"
    assert b"1 schema error(s) found" in captured.err
    assert main(["validate", "--json", str(path)]) == 1
    issue = orjson.loads(capsysbinary.readouterr().out)
    assert issue == {
        "path": "releases/1",
        "keyword": "required",
        "message": "'initiationType' is missing but required",
        "item": 1,
    }


def test_validate_valid_data(jsonl: Path, capsysbinary: Any) -> None:
    assert main(["validate", str(jsonl)]) == 0
    assert capsysbinary.readouterr().err == b"No schema errors found.\n"


def test_flatten_and_package(jsonl: Path, tmp_path: Path, capsysbinary: Any) -> None:
    assert main(["flatten", "--format", "csv", "--out", str(tmp_path / "tables"), str(jsonl)]) == 0
    assert (tmp_path / "tables" / "releases.csv").is_file()
    assert b"6 releases flattened" in capsysbinary.readouterr().err
    assert main(["package", "--published-date", "2024-05-01T00:00:00Z", str(jsonl)]) == 0
    data = orjson.loads(capsysbinary.readouterr().out)
    assert data["publishedDate"] == "2024-05-01T00:00:00Z"
    assert len(data["releases"]) == 6
    assert len(data["extensions"]) == 4


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["compile", "missing.json"], b"error: missing.json: no such file"),
        (["validate", "{bad}"], b"no such file"),
    ],
)
def test_bad_input_exits_2_with_a_clear_message(
    args: list[str], message: bytes, capsysbinary: Any
) -> None:
    assert main(args) == 2
    err = capsysbinary.readouterr().err
    assert message in err
    assert b"hint:" in err


def test_invalid_json_says_so(tmp_path: Path, capsysbinary: Any) -> None:
    path = tmp_path / "broken.json"
    path.write_bytes(b'{"releases": [{"ocid": ')
    assert main(["compile", str(path)]) == 2
    assert b"is not valid JSON" in capsysbinary.readouterr().err


def test_python_dash_m_reads_standard_input(jsonl: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pregon.ocds", "compile", "-"],
        input=jsonl.read_bytes(),
        capture_output=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 3
    assert result.stderr == b""  # no progress bar off a terminal
    result = subprocess.run(
        [sys.executable, "-m", "pregon.ocds", "validate", "-"],
        input=b"[1]",
        capture_output=True,
        check=False,
    )
    assert result.returncode == 2
    assert b"error: standard input holds a number" in result.stderr


def test_compile_from_a_pipe_writes_the_bytes_of_compiling_the_file(jsonl: Path) -> None:
    command = [sys.executable, "-m", "pregon.ocds", "compile"]
    from_file = subprocess.run([*command, str(jsonl)], capture_output=True, check=True)
    with subprocess.Popen(["cat", str(jsonl)], stdout=subprocess.PIPE) as cat:
        from_pipe = subprocess.run(
            [*command, "-"], stdin=cat.stdout, capture_output=True, check=True
        )
    assert from_pipe.stdout == from_file.stdout
    assert len(from_pipe.stdout.splitlines()) == 3
    assert from_pipe.stderr == b""


def test_a_progress_bar_only_on_a_terminal(
    jsonl: Path, capsysbinary: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert main(["validate", str(jsonl)]) == 0
    assert b"validate: " in capsysbinary.readouterr().err
