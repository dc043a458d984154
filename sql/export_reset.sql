RESET memory_limit;
RESET temp_directory;
RESET preserve_insertion_order;
