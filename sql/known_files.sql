SELECT source_path, size, mtime_ns, sha256, status, parser_version FROM files;
