RESET memory_limit;
RESET temp_directory;
RESET preserve_insertion_order;
RESET partitioned_write_flush_threshold;
