"""Tests for `translator models import`: tiny random-weight models in each format, real converters, real engine."""

from __future__ import annotations

import importlib.util
import json
import shutil
import zipfile
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import SEEDS
from translator.cli import main
from translator.config import Settings
from translator.errors import ModelError
from translator.mt.engine import ArgosEngine, read_package_info
from translator.mt.importer import import_model
from translator.mt.models import find_model, install_package_file, remove_package, use_model

ROOT = Path(__file__).resolve().parent.parent
SENTENCE = "قال الوزير إن المحادثات كانت مثمرة."


def load_builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_tiny_models", ROOT / "scripts" / "build_tiny_models.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


builder = load_builder()


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tiny-opus-mt/ (release folder), tiny-opus-mt.zip, tiny-ct2/ (CTranslate2 folder + spm)."""
    out = tmp_path_factory.mktemp("tiny")
    builder.build_opus_mt(out / "tiny-opus-mt")
    builder.build_opus_mt(out / "tiny-opus-mt", as_zip=True)
    builder.build_ct2(out / "tiny-ct2")
    return out


@pytest.fixture
def short(settings: Settings) -> Settings:
    """Random weights never stop on their own: cap decoding so tests stay fast."""
    return settings.with_(max_decoding_length=8)


def copy_release(tiny: Path, tmp_path: Path) -> Path:
    dest = tmp_path / "release"
    shutil.copytree(tiny / "tiny-opus-mt", dest)
    return dest


def installed_names(settings: Settings) -> list[str]:
    root = settings.models_dir
    return sorted(p.name for p in root.iterdir()) if root.is_dir() else []


def test_opus_mt_release_folder_is_converted_with_provenance(tiny: Path, short: Settings) -> None:
    result = import_model(short, tiny / "tiny-opus-mt")
    info = result.info
    assert info.name == "tiny-opus-mt" and info.family == "opus-mt"
    assert (info.source_spm, info.target_spm) == ("source.spm", "target.spm")
    assert (info.path / "source.spm").read_bytes() != (info.path / "target.spm").read_bytes()
    provenance = info.metadata["provenance"]
    import ctranslate2

    assert provenance["converter"] == "ctranslate2.converters.OpusMTConverter"
    assert provenance["ctranslate2_version"] == ctranslate2.__version__
    assert provenance["quantization"] == "int8"
    assert provenance["languages"] == {"source": ["ara"], "target": ["eng"]}
    assert info.metadata["licence"].startswith("Creative Commons Attribution 4.0")
    assert (info.path / "LICENSE").is_file() and (info.path / "README.md").is_file()
    # Marian's source EOS is CTranslate2's job here (add_source_eos), so the engine adds none itself.
    assert json.loads((info.path / "model" / "config.json").read_text())["add_source_eos"] is True
    engine = ArgosEngine(info.path, short)
    assert "</s>" not in engine.encode(SENTENCE)
    english = engine.translate([SENTENCE, "", SENTENCE])
    assert english[0] and english[1] == "" and english[0] == english[2]
    assert not any(ch in english[0] for ch in "▁")  # detokenised with the target SentencePiece model
    assert result.convert_seconds > 0


def test_opus_mt_zip_with_files_at_top_or_in_one_folder(tiny: Path, short: Settings, tmp_path: Path) -> None:
    assert import_model(short, tiny / "tiny-opus-mt.zip").info.name == "tiny-opus-mt"
    nested = tmp_path / "opus-2021-02-18.zip"
    with zipfile.ZipFile(tiny / "tiny-opus-mt.zip") as src, zipfile.ZipFile(nested, "w") as dst:
        for member in src.infolist():
            dst.writestr(f"opus-2021-02-18/{member.filename}", src.read(member))
    info = import_model(short, nested).info
    assert info.name == "opus-2021-02-18"
    assert len(info.metadata["provenance"]["origin_sha256"]) == 64
    assert installed_names(short) == ["opus-2021-02-18", "tiny-opus-mt"]  # no staging left behind


def test_quantisation_is_recorded_and_changes_the_weights(tiny: Path, short: Settings) -> None:
    int8 = import_model(short, tiny / "tiny-opus-mt", name="q-int8").info
    full = import_model(short, tiny / "tiny-opus-mt", name="q-none", quantize="none").info
    assert full.metadata["provenance"]["quantization"] == "none"
    assert (full.path / "model" / "model.bin").stat().st_size > (int8.path / "model" / "model.bin").stat().st_size
    assert ArgosEngine(full.path, short).translate([SENTENCE])[0]


def test_ct2_folder_with_separate_spm_is_copied(tiny: Path, short: Settings) -> None:
    info = import_model(short, tiny / "tiny-ct2").info
    assert info.family == "ct2" and info.metadata["provenance"]["quantization"] == "as supplied"
    assert ArgosEngine(info.path, short).translate([SENTENCE])[0]
    with pytest.raises(ModelError, match="--quantize applies to conversions"):
        import_model(short, tiny / "tiny-ct2", name="other", quantize="float16")


def test_ct2_folder_of_the_demo_model_translates_exactly_like_the_demo_package(
    demo_model_file: Path, short: Settings, tmp_path: Path
) -> None:
    with zipfile.ZipFile(demo_model_file) as zf:
        zf.extractall(tmp_path / "unzipped")
    (folder,) = (tmp_path / "unzipped").iterdir()
    imported = import_model(short, folder, name="demo-as-ct2").info
    assert imported.family == "ct2" and imported.label == "demo-as-ct2 ar→en"
    demo = install_package_file(short, demo_model_file)
    sentences = [SENTENCE, "وقال سيرغي لافروف إن المفاوضات ستستمر."]
    assert ArgosEngine(imported.path, short).translate(sentences) == ArgosEngine(demo.path, short).translate(sentences)


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        (lambda d: (d / "target.spm").unlink(), "target.spm is missing from the release"),
        (lambda d: next(d.glob("*.npz")).unlink(), r"\.npz is missing from the release"),
        (lambda d: (d / "README.md").write_text("* source language(s): fra\n* target language(s): eng\n"),
         "it translates fra->eng, not Arabic->English"),
        (lambda d: shutil.copy(d / "target.spm", d / "source.spm"),
         "source SentencePiece model does not know Arabic script"),
        (lambda d: (d / "decoder.yml").write_text("beam-size: 6\n"), "decoder.yml does not name the model"),
    ],
    ids=["no-target-spm", "no-npz", "wrong-pair", "english-source-spm", "empty-decoder-yml"],
)
def test_broken_releases_are_refused_and_nothing_is_installed(
    tiny: Path, short: Settings, tmp_path: Path, damage, expected: str  # type: ignore[no-untyped-def]
) -> None:
    release = copy_release(tiny, tmp_path)
    damage(release)
    with pytest.raises(ModelError, match=expected) as caught:
        import_model(short, release)
    assert "\n" not in str(caught.value) and "nothing was installed" in str(caught.value)
    assert installed_names(short) == []


def test_truncated_zip_is_refused_in_one_line(tiny: Path, short: Settings, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    data = (tiny / "tiny-opus-mt.zip").read_bytes()
    cut = tmp_path / "cut.zip"
    cut.write_bytes(data[: len(data) // 2])
    assert main(["models", "import", str(cut)]) == 1
    err = [line for line in capsys.readouterr().err.splitlines() if not line.startswith("importing ")]
    assert len(err) == 1 and "corrupt or truncated download" in err[0], err
    assert installed_names(short) == []


def test_spm_that_does_not_match_the_vocabulary_is_refused(tiny: Path, short: Settings, tmp_path: Path,
                                                           demo_model_file: Path) -> None:
    folder = tmp_path / "ct2"
    shutil.copytree(tiny / "tiny-ct2", folder)
    with zipfile.ZipFile(demo_model_file) as zf:
        demo_spm = next(n for n in zf.namelist() if n.endswith("sentencepiece.model"))
        (folder / "source.spm").write_bytes(zf.read(demo_spm))
    with pytest.raises(ModelError, match="does not match the model's vocabulary"):
        import_model(short, folder)


def test_unknown_folders_and_zip_escapes_are_refused(short: Settings, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(ModelError, match="not a model this importer knows"):
        import_model(short, tmp_path / "empty")
    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil, "w") as zf:
        zf.writestr("../evil.sh", "rm -rf /")
    with pytest.raises(ModelError, match="escapes the package folder"):
        import_model(short, evil)
    with pytest.raises(ModelError, match="not found"):
        import_model(short, tmp_path / "missing.zip")
    lone = tmp_path / "model.npz"
    lone.write_bytes(b"\x93NUMPY not a release")
    with pytest.raises(ModelError, match="not a zip archive; give a release zip, or the folder"):
        import_model(short, lone)
    assert installed_names(short) == []


@pytest.mark.skipif(all(importlib.util.find_spec(m) for m in ("torch", "transformers")),
                    reason="the [convert] extra is installed here")
def test_hugging_face_checkpoint_without_the_extra_names_it(short: Settings, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "opus-mt-ar-en"
    folder.mkdir()
    (folder / "config.json").write_text(json.dumps({"model_type": "marian"}))
    (folder / "model.safetensors").write_bytes(b"weights")
    for name in ("source.spm", "target.spm"):
        (folder / name).write_bytes(b"spm")
    assert main(["models", "import", str(folder)]) == 1
    err = [line for line in capsys.readouterr().err.splitlines() if not line.startswith("importing ")]
    assert len(err) == 1 and "pip install -e '.[convert]'" in err[0], err
    assert installed_names(short) == []


def test_hugging_face_model_type_that_is_not_translation_is_refused(short: Settings, tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text(json.dumps({"model_type": "bert"}))
    with pytest.raises(ModelError, match="model type 'bert' is not one the importer converts"):
        import_model(short, tmp_path)


def test_demo_stays_the_default_until_a_model_is_chosen(tiny: Path, short: Settings, demo_model_file: Path) -> None:
    demo = install_package_file(short, demo_model_file)
    import_model(short, tiny / "tiny-opus-mt")
    assert find_model(short).name == demo.name  # importing never switches the model behind the user's back
    assert find_model(short.with_(model="tiny-opus-mt")).name == "tiny-opus-mt"
    use_model(short, "tiny-opus-mt")
    assert find_model(short).name == "tiny-opus-mt"
    assert find_model(short.with_(model=demo.name)).name == demo.name  # --model overrides the default
    with pytest.raises(ModelError, match="no installed ar->en model named 'nope'"):
        use_model(short, "nope")
    remove_package(short, "tiny-opus-mt")
    assert find_model(short).name == demo.name  # removing the default forgets it


def test_cli_import_use_and_translate_with_model(tiny: Path, home: Path, demo_model_file: Path,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("TRANSLATOR_MAX_DECODING_LENGTH", "8")
    assert main(["models", "install", str(demo_model_file)]) == 0
    assert main(["models", "import", str(tiny / "tiny-opus-mt.zip"), "--name", "opus-tiny"]) == 0
    out = capsys.readouterr().out
    assert "imported opus-tiny" in out and "licence: Creative Commons" in out
    article = SEEDS / "sarraj-security-agreements.ar.txt"
    output = home / "out.en.md"
    assert main(["translate", str(article), "--model", "opus-tiny", "-o", str(output)]) == 0
    assert "model opus-tiny ar→en" in capsys.readouterr().err
    assert main(["translate", str(article), "-o", str(output)]) == 0
    assert "model ar→en 0.1 (demo)" in capsys.readouterr().err
    assert main(["models", "use", "opus-tiny"]) == 0
    assert main(["models", "list"]) == 0
    listing = capsys.readouterr().out
    assert any(line.startswith("*") and "opus-tiny" in line and "opus-mt" in line for line in listing.splitlines())
    assert main(["translate", str(article), "--model", "nope"]) == 1
    assert "no installed ar->en model named 'nope'" in capsys.readouterr().err
    assert read_package_info(home / "models" / "opus-tiny").family == "opus-mt"


@pytest.mark.parametrize("command", [["translate", "x.txt"], ["batch", "dir"], ["evaluate", "--src", "a", "--ref", "b"],
                                     ["desk", "dir"]])
def test_model_option_on_every_command_that_translates(command: list[str]) -> None:
    from translator.cli import build_parser

    assert build_parser().parse_args([*command, "--model", "opus-x"]).model == "opus-x"


@pytest.mark.parametrize(("readme", "expected"), [
    ("* source language(s): afb apc ara arq arz\n* target language(s): eng\n", (["afb", "apc", "ara", "arq", "arz"],
                                                                              ["eng"])),
    ("- **Language(s):**\n  - Source Language(s): afb ara arz; Target Language(s): eng\n", (["afb", "ara", "arz"],
                                                                                          ["eng"])),
    ("no languages here\n", ([], [])),
])
def test_release_readme_languages(tmp_path: Path, readme: str, expected: tuple[list[str], list[str]]) -> None:
    from translator.mt.model_files import readme_languages

    (tmp_path / "README.md").write_text(readme, encoding="utf-8")
    assert readme_languages(tmp_path) == expected


def test_multi_target_release_gets_its_language_token(short: Settings, tmp_path: Path) -> None:
    info = import_model(short, builder.build_opus_mt(tmp_path / "multi", target_langs="deu eng fra")).info
    assert info.source_prefix == (">>eng<<",)
    assert ArgosEngine(info.path, short).encode(SENTENCE)[0] == ">>eng<<"
    release = builder.build_opus_mt(tmp_path / "multi-bad", target_langs="deu eng fra", language_tokens=False)
    with pytest.raises(ModelError, match="the source token >>eng<< is not in the model's vocabulary"):
        import_model(short, release)
    assert installed_names(short) == ["multi"]


def test_nllb_shaped_ct2_folder_gets_language_tokens(short: Settings, tmp_path: Path) -> None:
    info = import_model(short, builder.build_ct2_nllb(tmp_path / "nllb-ct2")).info
    assert info.family == "nllb" and info.metadata["licence"] == "cc-by-nc-4.0"
    assert (info.source_prefix, info.source_suffix, info.target_prefix) == (("arb_Arab",), ("</s>",), "eng_Latn")
    engine = ArgosEngine(info.path, short)
    tokens = engine.encode(SENTENCE)
    assert tokens[0] == "arb_Arab" and tokens[-1] == "</s>" and "arb_Arab" not in tokens[1:-1]
    (english,) = engine.translate([SENTENCE])
    # The forced eng_Latn is stripped before SentencePiece decoding (it would come out as " ⁇ "); the model
    # cannot produce any other token SentencePiece does not know.
    assert english and "⁇" not in english and "eng_Latn" not in english
