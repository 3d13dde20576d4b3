"""Provides ReviewWriter: the desk's saves written in a thread of their own, in order.

A save is made on the UI thread (translator.store.review.review_files: the state and English as
text, so nothing the translator does afterwards can change it) and handed over; the writer
thread writes it atomically as before. Only the newest pending save is kept: each is a whole
snapshot, so an older one never lands after a newer one. `flush` waits until everything handed
over is on disk (the desk calls it before its final save and before releasing the lock), and an
error is kept for the UI to report and retry (`take_error`).
"""

from __future__ import annotations

import threading

from translator.store.review import ReviewFiles


class ReviewWriter:
    """One background thread writing ReviewFiles, newest last."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._pending: ReviewFiles | None = None
        self._busy = False
        self._error: OSError | None = None
        self._closed = False
        self.written = 0
        """Saves written so far (tests and the bench read it)."""
        self._thread = threading.Thread(target=self._run, name="desk-save", daemon=True)
        self._thread.start()

    def submit(self, files: ReviewFiles) -> None:
        """Write `files` soon; replaces a save handed over earlier and not yet started."""
        with self._cond:
            if self._closed:
                raise RuntimeError("the review writer is closed")
            self._pending = files
            self._cond.notify_all()

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until every save handed over is written (or failed); False on timeout."""
        with self._cond:
            return self._cond.wait_for(lambda: self._pending is None and not self._busy, timeout)

    def take_error(self) -> OSError | None:
        """The last write's failure since the last call (None if none); the save was not made."""
        with self._cond:
            error, self._error = self._error, None
            return error

    def close(self, timeout: float | None = None) -> bool:
        """Write what is pending, then stop the thread; False if that did not finish in time."""
        done = self.flush(timeout)
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        return done

    def _run(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._pending is not None or self._closed)
                if self._pending is None:
                    return
                files, self._pending, self._busy = self._pending, None, True
            error: OSError | None = None
            try:
                files.write()
            except OSError as exc:
                error = exc
            with self._cond:
                self._busy = False
                if error is not None:
                    self._error = error
                else:
                    self.written += 1
                self._cond.notify_all()
