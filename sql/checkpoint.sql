-- Fold the write-ahead log into the file before it is published by rename.
CHECKPOINT;
