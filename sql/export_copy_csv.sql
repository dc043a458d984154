-- One CSV export (or one part of it) to a file; the caller writes the BOM before it.
COPY ($query) TO '$out' (FORMAT csv, HEADER true)
