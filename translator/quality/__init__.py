"""Quality: QA checks, evaluation scores and post-editing reports."""
