"""Tests for model management: validation, install from file and index, remove, ensure, list."""

from __future__ import annotations

import io
import json
import stat
import zipfile
from pathlib import Path

import pytest

from tests.index_server import IndexServer, closed_port_url
from translator.cli import main
from translator.config import DEMO_MODEL_PATH, Settings, load_settings
from translator.errors import ModelError, NoModelError
from translator.mt import models, package_file, package_index
from translator.mt.models import INSTALL_FROM_FILE_HINT
from translator.mt.package_index import IndexUnavailableError

GOOD_META = {
    "package_version": "1.0",
    "argos_version": "1.9",
    "from_code": "ar",
    "to_code": "en",
    "from_name": "Arabic",
    "to_name": "English",
    "type": "translate",
}


def _demo_members() -> dict[str, bytes]:
    """The demo model's files: the model a package under test carries (it must load to install)."""
    with zipfile.ZipFile(DEMO_MODEL_PATH) as zf:
        return {info.filename.split("/", 1)[1]: zf.read(info) for info in zf.infolist()
                if not info.is_dir() and info.filename.split("/", 1)[1] not in ("metadata.json", "README")}


DEMO_MEMBERS = _demo_members()


def package_bytes(
    top: str = "translate-ar_en-1_0",
    metadata: dict | str | None = None,
    drop: tuple[str, ...] = (),
    extra: dict[str, bytes] | None = None,
    model_bin: bytes | None = None,
    readme: str = "test package",
) -> bytes:
    """A valid Argos package (the demo model's files, this metadata), with parts removed or added."""
    meta = GOOD_META if metadata is None else metadata
    members = {
        **DEMO_MEMBERS,
        "metadata.json": meta if isinstance(meta, str) else json.dumps(meta),
        "README.md": readme,
    }
    if model_bin is not None:
        members["model/model.bin"] = model_bin
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, data in members.items():
            if name not in drop:
                zf.writestr(f"{top}/{name}", data)
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return buffer.getvalue()


def write_package(path: Path, **kwargs: object) -> Path:
    path.write_bytes(package_bytes(**kwargs))  # type: ignore[arg-type]
    return path


def symlink_package() -> bytes:
    buffer = io.BytesIO(package_bytes())
    with zipfile.ZipFile(buffer, "a") as zf:
        info = zipfile.ZipInfo("translate-ar_en-1_0/model/link")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(info, "../../../../etc/passwd")
    return buffer.getvalue()


def leftovers(settings: Settings) -> list[str]:
    root = settings.models_dir
    return sorted(p.name for p in root.iterdir()) if root.exists() else []


# --- install from a file -------------------------------------------------------------------


def test_install_valid_file(settings: Settings, tmp_path: Path) -> None:
    info = models.install_package_file(settings, write_package(tmp_path / "p.argosmodel"))
    assert info.name == "translate-ar_en-1_0"
    assert (info.from_code, info.to_code, info.version, info.demo) == ("ar", "en", "1.0", False)
    assert (info.path / "model" / "model.bin").read_bytes() == DEMO_MEMBERS["model/model.bin"]
    assert leftovers(settings) == ["translate-ar_en-1_0"]
    assert models.find_model(settings).path == info.path


def test_reinstall_same_name_replaces(settings: Settings, tmp_path: Path) -> None:
    models.install_package_file(settings, write_package(tmp_path / "a.argosmodel"))
    newer = dict(GOOD_META, package_version="1.1")
    info = models.install_package_file(
        settings, write_package(tmp_path / "b.argosmodel", metadata=newer, readme="new package")
    )
    assert info.version == "1.1"
    assert (info.path / "README.md").read_text(encoding="utf-8") == "new package"
    assert leftovers(settings) == ["translate-ar_en-1_0"]


def test_reinstall_without_rename_exchange(settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The fallback path (no renameat2) also replaces and leaves nothing behind."""
    monkeypatch.setattr(package_file, "_exchange", lambda a, b: False)
    models.install_package_file(settings, write_package(tmp_path / "a.argosmodel"))
    info = models.install_package_file(settings, write_package(tmp_path / "b.argosmodel", readme="v2"))
    assert (info.path / "README.md").read_text(encoding="utf-8") == "v2"
    assert leftovers(settings) == ["translate-ar_en-1_0"]


BAD_PACKAGES = {
    "zip slip": (lambda: package_bytes(extra={"translate-ar_en-1_0/../evil.txt": b"x"}), "escapes the package folder"),
    "absolute path": (lambda: package_bytes(extra={"/tmp/evil.txt": b"x"}), "absolute path"),
    "symlink": (symlink_package, "symbolic link"),
    "missing metadata": (lambda: package_bytes(drop=("metadata.json",)), "metadata.json is missing"),
    "metadata not json": (lambda: package_bytes(metadata="{not json"), "metadata.json is not valid JSON"),
    "metadata not object": (lambda: package_bytes(metadata="[1, 2]"), "not a JSON object"),
    "wrong language": (lambda: package_bytes(metadata=dict(GOOD_META, from_code="en", to_code="ar")),
                       "en->ar, not Arabic->English"),
    "wrong type": (lambda: package_bytes(metadata=dict(GOOD_META, type="sbd")), "type is 'sbd'"),
    "missing model": (lambda: package_bytes(drop=("model/model.bin", "model/config.json")),
                      "model/model.bin is missing"),
    "missing sentencepiece": (lambda: package_bytes(drop=("sentencepiece.model",)), "sentencepiece.model is missing"),
    "two top folders": (lambda: package_bytes(extra={"other/file.txt": b"x"}),
                        "expected one top-level folder, found 2"),
    "top-level file": (lambda: package_bytes(extra={"stray.txt": b"x"}), "outside the package folder"),
    "corrupt zip": (lambda: b"PK\x03\x04 this is not really a zip" * 10, "not a readable zip archive"),
    "truncated zip": (lambda: package_bytes()[:-40], "not a readable zip archive"),
    "empty zip": (lambda: package_bytes(drop=("metadata.json", *DEMO_MEMBERS, "README.md")), "archive is empty"),
}


@pytest.mark.parametrize("case", sorted(BAD_PACKAGES))
def test_bad_package_refused_and_nothing_remains(case: str, settings: Settings, tmp_path: Path) -> None:
    make, reason = BAD_PACKAGES[case]
    path = tmp_path / "bad.argosmodel"
    path.write_bytes(make())
    with pytest.raises(ModelError) as err:
        models.install_package_file(settings, path)
    message = str(err.value)
    assert reason in message
    assert str(path) in message and "\n" not in message
    assert leftovers(settings) == []
    assert not (tmp_path / "evil.txt").exists() and not Path("/tmp/evil.txt").exists()


def test_refused_reinstall_keeps_the_old_package(settings: Settings, tmp_path: Path) -> None:
    good = models.install_package_file(settings, write_package(tmp_path / "good.argosmodel"))
    with pytest.raises(ModelError):
        models.install_package_file(settings, write_package(tmp_path / "bad.argosmodel", drop=("sentencepiece.model",)))
    assert (good.path / "sentencepiece.model").is_file()
    assert leftovers(settings) == [good.name]


def test_crc_error_while_unpacking_leaves_nothing(settings: Settings, tmp_path: Path) -> None:
    data = bytearray(package_bytes(model_bin=b"A" * 4000))
    start = bytes(data).index(b"A" * 4000)
    data[start + 100] = ord("B")  # payload changed, CRC in the headers is not
    path = tmp_path / "crc.argosmodel"
    path.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="cannot be unpacked|not a readable zip"):
        models.install_package_file(settings, path)
    assert leftovers(settings) == []


def test_missing_file_and_folder_given(settings: Settings, tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="file not found"):
        models.install_package_file(settings, tmp_path / "nope.argosmodel")
    with pytest.raises(ModelError, match="is a folder"):
        models.install_package_file(settings, tmp_path)


def test_cli_install_refusal_is_one_line(home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_package(tmp_path / "bad.argosmodel", extra={"translate-ar_en-1_0/../../x": b"x"})
    assert main(["models", "install", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("translator: error: ") and "escapes" in err
    assert not (home / "models").exists() or not any((home / "models").iterdir())


# --- list and remove -----------------------------------------------------------------------


def test_list_and_remove(home: Path, settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["models", "list"]) == 0
    assert "no models installed" in capsys.readouterr().out
    assert main(["models", "install", str(write_package(tmp_path / "p.argosmodel"))]) == 0
    assert "installed translate-ar_en-1_0 (ar→en 1.0)" in capsys.readouterr().out
    assert main(["models", "list"]) == 0
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if "translate-ar_en-1_0" in line)
    assert row.startswith("*") and "ar→en" in row and "1.0" in row and str(settings.models_dir) in row
    assert main(["models", "remove", "translate-ar_en-1_0"]) == 0
    assert "removed translate-ar_en-1_0" in capsys.readouterr().out
    assert leftovers(settings) == []
    with pytest.raises(NoModelError):
        models.find_model(settings)


@pytest.mark.parametrize("name", ["nope", "../models", ".", "a/b"])
def test_remove_unknown_or_unsafe_name(name: str, home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["models", "remove", name]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "translator models list" in err


def test_real_model_preferred_over_demo_and_newest_first(settings: Settings, tmp_path: Path) -> None:
    models.install_package_file(settings, write_package(tmp_path / "d.argosmodel", top="demo-ar_en"), demo=True)
    models.install_package_file(settings, write_package(tmp_path / "o.argosmodel", top="z-old"))
    models.install_package_file(
        settings,
        write_package(tmp_path / "n.argosmodel", top="z-new", metadata=dict(GOOD_META, package_version="1.10")),
    )
    assert [p.name for p in models.installed_packages(settings)] == ["z-new", "z-old", "demo-ar_en"]
    assert models.find_model(settings).name == "z-new"


def test_no_model_message_names_the_fix(home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    article = tmp_path / "a.txt"
    article.write_text("عنوان\n\nنص الخبر.\n", encoding="utf-8")
    assert main(["translate", str(article)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "translator models ensure" in err and "models install" in err


# --- the online index (loopback server) ----------------------------------------------------


def index_json(server: IndexServer, entries: list[dict]) -> bytes:
    return json.dumps(entries).encode()


def online_files(package: bytes) -> dict[str, bytes]:
    index = [
        dict(GOOD_META, from_code="en", to_code="ar", package_version="9.9", links=["/en_ar.argosmodel"]),
        dict(GOOD_META, package_version="1.0", links=["/ar_en-1_0.argosmodel"]),
        dict(GOOD_META, package_version="1.2", links=["/missing.argosmodel", "/ar_en-1_2.argosmodel"]),
        dict(GOOD_META, type="sbd", package_version="5.0", links=["/sbd.argosmodel"]),
    ]
    return {"/index.json": json.dumps(index).encode(), "/ar_en-1_2.argosmodel": package}


def test_install_from_loopback_index(settings: Settings) -> None:
    package = package_bytes(top="translate-ar_en-1_2", metadata=dict(GOOD_META, package_version="1.2"))
    seen: list[tuple[int, int | None]] = []
    with IndexServer(online_files(package)) as server:
        info = package_index.install_from_index(
            settings.with_(package_index=server.url("/index.json")), lambda done, total: seen.append((done, total))
        )
        requests = list(server.requests)
    assert (info.name, info.version, info.demo) == ("translate-ar_en-1_2", "1.2", False)
    # the newest ar->en entry; its dead first link is skipped for the second
    assert requests == ["/index.json", "/missing.argosmodel", "/ar_en-1_2.argosmodel"]
    assert seen[-1] == (len(package), len(package))
    assert leftovers(settings) == ["translate-ar_en-1_2"]


def test_cli_install_from_index_via_env(home: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    package = package_bytes(top="translate-ar_en-1_2", metadata=dict(GOOD_META, package_version="1.2"))
    with IndexServer(online_files(package)) as server:
        monkeypatch.setenv("ARGOS_PACKAGE_INDEX", server.url("/index.json"))
        assert main(["models", "install"]) == 0
    out = capsys.readouterr().out
    assert "installed translate-ar_en-1_2 (ar→en 1.2)" in out


@pytest.mark.parametrize(
    "files, expected",
    [
        ({"/index.json": b"{not json"}, "is not valid JSON"),
        ({"/index.json": b'{"a": 1}'}, "not a JSON list"),
        ({}, "HTTP 404"),
        ({"/index.json": json.dumps([dict(GOOD_META, to_code="fr", links=["/x"])]).encode()},
         "lists no Arabic->English package"),
        ({"/index.json": json.dumps([dict(GOOD_META, links=["/gone.argosmodel"])]).encode()}, "cannot download"),
    ],
    ids=["bad-json", "not-a-list", "index-404", "no-ar-en", "package-404"],
)
def test_index_failures_are_one_line_with_the_file_hint(files: dict[str, bytes], expected: str,
                                                        settings: Settings) -> None:
    with IndexServer(files) as server, pytest.raises(IndexUnavailableError) as err:
        package_index.install_from_index(settings.with_(package_index=server.url("/index.json")))
    message = str(err.value)
    assert expected in message and message.endswith(INSTALL_FROM_FILE_HINT) and "\n" not in message
    assert leftovers(settings) == []


def test_truncated_download_refused(settings: Settings) -> None:
    package = package_bytes(top="translate-ar_en-1_2")
    with IndexServer(online_files(package)) as server:
        server.truncate.add("/ar_en-1_2.argosmodel")
        with pytest.raises(IndexUnavailableError, match="got .* of .* bytes"):
            package_index.install_from_index(settings.with_(package_index=server.url("/index.json")))
    assert leftovers(settings) == []


def test_downloaded_bad_package_refused_naming_the_url(settings: Settings) -> None:
    package = package_bytes(top="translate-ar_en-1_2", extra={"/etc/evil": b"x"})
    with IndexServer(online_files(package)) as server, pytest.raises(ModelError) as err:
        package_index.install_from_index(settings.with_(package_index=server.url("/index.json")))
    assert "/ar_en-1_2.argosmodel: refused, member '/etc/evil' has an absolute path" in str(err.value)
    assert leftovers(settings) == []


def test_offline_index_fails_with_one_clear_line(home: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    url = closed_port_url()
    monkeypatch.setenv("TRANSLATOR_PACKAGE_INDEX", url)
    assert main(["models", "install"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    line = err[-1]
    assert line.startswith("translator: error: cannot fetch the package index " + url)
    assert "refused" in line.lower() and line.endswith(INSTALL_FROM_FILE_HINT)
    assert not any(earlier.startswith("translator: error") for earlier in err[:-1])
    assert not (home / "models").exists() or not any((home / "models").iterdir())


def test_unreachable_host_and_bad_url(settings: Settings) -> None:
    for url in ("http://unresolvable.invalid/index.json", "not a url"):
        with pytest.raises(IndexUnavailableError, match="cannot fetch the package index"):
            package_index.fetch_index(url, timeout=5)


def test_index_url_settings() -> None:
    assert load_settings({"ARGOS_PACKAGE_INDEX": "http://a/i.json"}).package_index == "http://a/i.json"
    both = {"ARGOS_PACKAGE_INDEX": "http://a/i.json", "TRANSLATOR_PACKAGE_INDEX": "http://b/i.json"}
    assert load_settings(both).package_index == "http://b/i.json"


def test_pick_highest_version() -> None:
    entries = [dict(GOOD_META, package_version=v, links=[f"/{v}"]) for v in ("1.9", "1.10", "1.2")]
    assert package_index.pick_ar_en(entries)["package_version"] == "1.10"  # type: ignore[index]
    assert package_index.pick_ar_en([dict(GOOD_META, package_version="2.0", links=[])]) is None


# --- ensure --------------------------------------------------------------------------------


def test_ensure_keeps_an_installed_model(home: Path, settings: Settings, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    models.install_package_file(settings, write_package(tmp_path / "p.argosmodel"))
    monkeypatch.setenv("TRANSLATOR_PACKAGE_INDEX", closed_port_url())
    assert main(["models", "ensure"]) == 0
    assert "model installed: translate-ar_en-1_0" in capsys.readouterr().out
    assert leftovers(settings) == ["translate-ar_en-1_0"]


def test_ensure_installs_from_the_index_when_online(settings: Settings) -> None:
    package = package_bytes(top="translate-ar_en-1_2", metadata=dict(GOOD_META, package_version="1.2"))
    with IndexServer(online_files(package)) as server:
        result = package_index.ensure_model(settings.with_(package_index=server.url("/index.json")))
    assert result.action == "online" and result.info.name == "translate-ar_en-1_2" and not result.info.demo


def test_ensure_offline_falls_back_to_the_demo_model(home: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str], demo_model_file: Path) -> None:
    monkeypatch.setenv("TRANSLATOR_PACKAGE_INDEX", closed_port_url())
    assert main(["models", "ensure"]) == 0
    captured = capsys.readouterr()
    assert "online install failed: cannot fetch the package index" in captured.err
    assert "installed the DEMO model" in captured.out and "not for real work" in captured.out
    info = models.find_model(settings)
    assert info.demo and (info.from_code, info.to_code) == ("ar", "en")
    assert [p.name for p in settings.models_dir.iterdir()] == [info.name]
    assert main(["models", "list"]) == 0
    assert "demo" in capsys.readouterr().out
    # a second ensure is a no-op
    assert main(["models", "ensure"]) == 0
    assert "model installed" in capsys.readouterr().out


def test_broken_package_is_reported_not_used(home: Path, settings: Settings, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    info = models.install_package_file(settings, write_package(tmp_path / "p.argosmodel"))
    (info.path / "metadata.json").write_text("{broken", encoding="utf-8")
    assert models.installed_packages(settings) == []
    with pytest.raises(NoModelError):
        models.find_model(settings)
    assert main(["models", "list"]) == 0
    captured = capsys.readouterr()
    assert "broken package translate-ar_en-1_0" in captured.err and "no models installed" in captured.out
    assert main(["models", "remove", "translate-ar_en-1_0"]) == 0
    assert leftovers(settings) == []


def test_unwritable_models_folder_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("TRANSLATOR_HOME", str(blocker))  # models_dir would be a file's child
    assert main(["models", "install", str(write_package(tmp_path / "p.argosmodel"))]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot write the models folder" in err and "TRANSLATOR_HOME" in err


def test_ensure_without_network_or_demo_file_is_one_line(home: Path, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    monkeypatch.setattr(package_index, "DEMO_MODEL_PATH", tmp_path / "missing.argosmodel")
    monkeypatch.setenv("TRANSLATOR_PACKAGE_INDEX", closed_port_url())
    assert main(["models", "ensure"]) == 1
    lines = capsys.readouterr().err.strip().splitlines()
    assert lines[-1].startswith("translator: error: cannot fetch the package index")
    assert "bundled demo model" in lines[-1] and lines[-1].endswith(INSTALL_FROM_FILE_HINT)


def test_index_mirror_on_disk_with_relative_links(settings: Settings, tmp_path: Path) -> None:
    """A mirrored index on a share or USB stick (file:// URL, links relative to it) works offline."""
    mirror = tmp_path / "mirror"
    (mirror / "packages").mkdir(parents=True)
    (mirror / "packages" / "ar_en.argosmodel").write_bytes(package_bytes(top="translate-ar_en-2_0"))
    entry = dict(GOOD_META, package_version="2.0", links=["packages/ar_en.argosmodel"])
    (mirror / "index.json").write_text(json.dumps([entry]), encoding="utf-8")
    info = package_index.install_from_index(settings.with_(package_index=(mirror / "index.json").as_uri()))
    assert info.name == "translate-ar_en-2_0"
    assert leftovers(settings) == ["translate-ar_en-2_0"]
