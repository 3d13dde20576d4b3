"""Machine translation: the engine, installed models and the translation pipeline."""
