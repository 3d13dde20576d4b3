"""Provides ReviewState: a translator's work on one article, saved beside it.

`<name>.review.json` keeps, per paragraph id, the status, the machine output and the current
English, so reopening resumes exactly and needs no model call for translated paragraphs.
`<name>.en.md` is the English article (title as heading, then paragraphs). Both are written
atomically.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path

from translator.errors import InputError
from translator.fileio import atomic_write_text
from translator.store.memory_entry import MemoryEntry
from translator.text.document import Article

STATE_VERSION = 1


class Status(str, Enum):
    """Where a paragraph stands in review."""

    NEW = "new"            # no English yet
    MACHINE = "machine"    # machine output, untouched
    EDITED = "edited"      # changed by the translator, not yet accepted
    REVIEWED = "reviewed"  # accepted by the translator


def now_iso() -> str:
    """UTC timestamp with seconds, for review records."""
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class ParagraphReview:
    """Review record of one paragraph."""

    status: Status = Status.NEW
    machine: str | None = None
    """The glossary-enforced machine translation, as first shown."""
    text: str = ""
    """The current English (machine output or the translator's edit)."""
    updated: str = ""
    reviewed_at: str | None = None
    draft_from: str = ""
    """Where `machine` came from when the memory supplied it (`memory: TMX alice.tmx, alice`);
    empty for the engine's own output. Either way it is a draft, not reviewed."""
    memory_replaced: MemoryEntry | None = None
    """The reviewed memory entry that the accept replaced, which an un-accept puts back (None:
    there was none, or it was accepted without a memory or before this was recorded)."""
    glossary: str = ""
    """Fingerprint of the glossary `machine` was enforced with ("" when not recorded or
    not enforced here)."""

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        data["status"] = self.status.value
        data["memory_replaced"] = self.memory_replaced.to_json() if self.memory_replaced else None
        return data

    @classmethod
    def from_json(cls, data: dict[str, object]) -> ParagraphReview:
        replaced = data.get("memory_replaced")
        return cls(
            status=Status(str(data.get("status", "new"))),
            machine=data.get("machine"),  # type: ignore[arg-type]
            glossary=str(data.get("glossary", "")),
            text=str(data.get("text", "")),
            updated=str(data.get("updated", "")),
            reviewed_at=data.get("reviewed_at"),  # type: ignore[arg-type]
            draft_from=str(data.get("draft_from", "")),
            memory_replaced=MemoryEntry.from_json(replaced) if isinstance(replaced, dict) else None,
        )


@dataclass
class ReviewState:
    """All review records of one article, keyed by paragraph id."""

    article: str
    paragraphs: dict[str, ParagraphReview] = field(default_factory=dict)

    def get(self, pid: str) -> ParagraphReview:
        """The record for `pid`, created empty if missing."""
        return self.paragraphs.setdefault(pid, ParagraphReview())

    def set_machine(self, pid: str, text: str, draft_from: str = "") -> None:
        """Record machine output (`draft_from`: the memory entry it came from, if it did); keeps
        the translator's text if they already edited it."""
        rec = self.get(pid)
        rec.machine, rec.draft_from = text, draft_from
        if rec.status is Status.NEW:
            rec.text, rec.status = text, Status.MACHINE
        rec.updated = now_iso()

    def set_text(self, pid: str, text: str) -> None:
        """Record the translator's English; status becomes edited unless it equals the MT."""
        rec = self.get(pid)
        if text == rec.text:
            return
        rec.text = text
        rec.status = Status.MACHINE if rec.machine is not None and text == rec.machine else Status.EDITED
        rec.updated = now_iso()

    def accept(self, pid: str, text: str | None = None) -> None:
        """Mark reviewed, optionally with final text."""
        rec = self.get(pid)
        if text is not None:
            rec.text = text
        rec.status = Status.REVIEWED
        rec.reviewed_at = rec.updated = now_iso()
        rec.memory_replaced = None

    def counts(self, article: Article) -> dict[Status, int]:
        """Paragraph count per status over the article's translatable paragraphs."""
        counts = {s: 0 for s in Status}
        for p in article.translatable:
            counts[self.paragraphs[p.id].status if p.id in self.paragraphs else Status.NEW] += 1
        return counts

    def to_json(self) -> dict[str, object]:
        return {
            "version": STATE_VERSION,
            "article": self.article,
            "paragraphs": {pid: rec.to_json() for pid, rec in self.paragraphs.items()},
        }


def state_path(article_path: Path, out_dir: Path | None = None) -> Path:
    """Where the review state of `article_path` lives."""
    from translator.text.document import article_stem

    folder = out_dir or Path(article_path).parent
    return folder / f"{article_stem(Path(article_path))}.review.json"


def english_path(article_path: Path, out_dir: Path | None = None) -> Path:
    """Where the reviewed English of `article_path` is saved."""
    from translator.text.document import article_stem

    folder = out_dir or Path(article_path).parent
    return folder / f"{article_stem(Path(article_path))}.en.md"


def load_review(article_path: Path, out_dir: Path | None = None) -> ReviewState:
    """Load the review state, or an empty one if none was saved yet."""
    path = state_path(article_path, out_dir)
    if not path.exists():
        return ReviewState(article=Path(article_path).name)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return ReviewState(
            article=str(data.get("article", Path(article_path).name)),
            paragraphs={pid: ParagraphReview.from_json(rec) for pid, rec in data.get("paragraphs", {}).items()},
        )
    except (ValueError, AttributeError, TypeError) as exc:
        raise InputError(path, f"review state is corrupt ({exc})", "move it aside to start the review afresh") from None


def render_english(article: Article, state: ReviewState) -> str:
    """The reviewed English article as Markdown (see translator.store.render: unreviewed English
    stays in HTML comments, and a header says how many paragraphs are reviewed)."""
    from translator.store.render import Mode, render_markdown

    english = {pid: rec.text for pid, rec in state.paragraphs.items()}
    reviewed = {pid for pid, rec in state.paragraphs.items() if rec.status is Status.REVIEWED}
    return render_markdown(article, english, reviewed, Mode.REVIEWED)


@dataclass(frozen=True)
class ReviewFiles:
    """A save of one article's review, made but not yet written: the review state and the English
    as text. Made where the state lives (the desk's UI thread), written anywhere (a thread)."""

    state_path: Path
    state_text: str
    english_path: Path
    english_text: str

    def write(self) -> None:
        """Write both files atomically (raises OSError, naming the file, when it cannot)."""
        atomic_write_text(self.state_path, self.state_text)
        atomic_write_text(self.english_path, self.english_text)


def review_files(article: Article, state: ReviewState, out_dir: Path | None = None) -> ReviewFiles:
    """The review state and English of `article` as they are now (see ReviewFiles)."""
    return ReviewFiles(state_path(article.path, out_dir), json.dumps(state.to_json(), ensure_ascii=False, indent=1),
                       english_path(article.path, out_dir), render_english(article, state))


def save_review(article: Article, state: ReviewState, out_dir: Path | None = None) -> None:
    """Atomically write the review state and the English article."""
    review_files(article, state, out_dir).write()


def find_reviewed(path: Path) -> list[Path]:
    """Article files under `path` that have saved review state beside them.

    `path` may be an article, its `.review.json`, or a folder (searched recursively). A
    folder with no reviewed article gives an empty list; a single article without state
    raises InputError saying how to create it.
    """
    from translator.text.document import article_stem

    path = Path(path)
    if not path.exists():
        raise InputError(path, "not found", "give an article file or a folder")
    if path.is_dir():
        found = []
        for state in sorted(path.rglob("*.review.json")):
            article = _article_for_state(state)
            if article is not None:
                found.append(article)
        return found
    if path.name.endswith(".review.json"):
        article = _article_for_state(path)
        if article is None:
            raise InputError(path, "the article this review state belongs to is missing", "keep it beside its article")
        return [article]
    if not state_path(path).exists():
        raise InputError(path, f"no review state ({article_stem(path)}.review.json) beside it",
                         "translate or review it first with `translator desk`")
    return [path]


def _article_for_state(state: Path) -> Path | None:
    """The article a `<name>.review.json` belongs to: the name recorded in it, else <name>.ar.txt/.txt."""
    import json

    stem = state.name[: -len(".review.json")]
    candidates = []
    try:
        recorded = json.loads(state.read_text(encoding="utf-8")).get("article")
        if isinstance(recorded, str) and recorded:
            candidates.append(state.parent / Path(recorded).name)
    except (OSError, ValueError, AttributeError):
        pass  # load_review reports a corrupt file properly later
    candidates += [state.parent / f"{stem}{suffix}" for suffix in (".ar.txt", ".txt", ".ar.md", ".md")]
    return next((c for c in candidates if c.is_file()), None)
