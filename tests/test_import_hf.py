"""Hugging Face checkpoints through CTranslate2's TransformersConverter (only where the [convert] extra is installed).

The engine must feed the model exactly what the Hugging Face tokenizer would (Marian: pieces +
</s>; NLLB: arb_Arab + pieces + </s>, target prefix eng_Latn), so a tiny random checkpoint converted
without quantisation must decode as transformers' own greedy search does.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_import import builder
from translator.config import Settings
from translator.mt.engine import ArgosEngine
from translator.mt.importer import import_model

torch = pytest.importorskip("torch", reason="the [convert] extra (torch + transformers) is not installed")
transformers = pytest.importorskip("transformers", reason="the [convert] extra is not installed")

SENTENCES = ["قال الوزير إن المحادثات كانت مثمرة.", "وأضاف أن المفاوضات مع الحكومة ستستمر يوم الأحد."]


@pytest.fixture(scope="module")
def checkpoints(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("hf")
    builder.build_hf_marian(out / "tiny-hf-marian")
    builder.build_hf_nllb(out / "tiny-hf-nllb")
    return out


def hf_greedy(folder: Path, sentence: str, steps: int, nllb: bool) -> tuple[list[str], str]:
    """The tokenizer's source tokens and transformers' greedy English for one sentence."""
    tokenizer = transformers.AutoTokenizer.from_pretrained(folder, **({"src_lang": "arb_Arab"} if nllb else {}))
    model = transformers.AutoModelForSeq2SeqLM.from_pretrained(folder).eval()
    inputs = tokenizer(sentence, return_tensors="pt")
    extra = {"forced_bos_token_id": tokenizer.convert_tokens_to_ids("eng_Latn")} if nllb else {}
    with torch.no_grad():
        out = model.generate(**inputs, num_beams=1, do_sample=False, max_new_tokens=steps, min_new_tokens=steps,
                             **extra)
    tokens = tokenizer.convert_ids_to_tokens(inputs["input_ids"][0])
    return tokens, tokenizer.decode(out[0], skip_special_tokens=True).strip()


@pytest.mark.parametrize(("name", "family"), [("tiny-hf-marian", "hf-marian"), ("tiny-hf-nllb", "nllb")])
def test_converted_checkpoint_decodes_like_transformers(checkpoints: Path, settings: Settings,
                                                        name: str, family: str) -> None:
    info = import_model(settings, checkpoints / name, quantize="none").info
    assert info.family == family
    provenance = info.metadata["provenance"]
    assert provenance["converter"] == "ctranslate2.converters.TransformersConverter"
    assert provenance["transformers_version"] == transformers.__version__
    steps = 6
    nllb = family == "nllb"
    engine = ArgosEngine(info.path, settings.with_(beam_size=1, no_repeat_ngram_size=0,
                                                   max_decoding_length=steps))
    for sentence in SENTENCES:
        tokens, english = hf_greedy(checkpoints / name, sentence, steps, nllb)
        assert engine.encode(sentence) == tokens
        (ours,) = engine.translate([sentence])
        # Same tokens, same greedy path; the two count the decoding cap differently (start tokens), so one
        # output may be a step longer.
        shorter, longer = sorted((ours, english), key=len)
        assert len(shorter) >= 4 and longer.startswith(shorter), (ours, english)
