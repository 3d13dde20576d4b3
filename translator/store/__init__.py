"""What is stored: translation memory, review state, locks, TMX/XLIFF and exports."""
