SELECT report_id, source_path, parser_version FROM reports;
