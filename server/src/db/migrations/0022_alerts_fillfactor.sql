-- Leave a fifth of each page free, so a repeat delivery can rewrite its alert row on the same
-- page (a HOT update) instead of adding an entry to each of the table's indexes.
ALTER TABLE "alerts" SET (fillfactor = 80);
