"""Papers rendered from records: HTML, .docx and .xlsx."""
