"""Arabic text: normalisation, sentences, bidi, numbers, reading articles."""
