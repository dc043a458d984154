-- Bounded memory for the export: sorts and partitioned writes spill to <tmp>.
SET memory_limit = '$memory';
SET temp_directory = '$tmp';
SET preserve_insertion_order = false;
