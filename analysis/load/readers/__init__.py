"""One reader per input format: a file's bytes in, its articles (``sources.Item``) out.

``exports`` reads news-database exports (Nexis Uni DOCX/RTF, Factiva RTF/HTML),
``pdf`` text-based PDFs, ``web`` saved web pages, ``tables`` CSV/TSV/JSONL/
Parquet/Excel tables with a text column. ``analysis.load.corpus`` picks the
reader by extension and content.
"""
