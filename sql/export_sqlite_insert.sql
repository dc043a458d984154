INSERT INTO "$table" VALUES ($marks)
