CREATE TABLE "$table" ($columns)
