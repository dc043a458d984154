-- Bounded memory for the export: sorts and partitioned writes spill to <tmp>.
SET memory_limit = '$memory';
SET temp_directory = '$tmp';
SET preserve_insertion_order = false;
-- Rows buffered per open partition before a partitioned COPY flushes (default 524,288:
-- thirty open partitions of facts would hold ~1 GB).
SET partitioned_write_flush_threshold = 65536;
