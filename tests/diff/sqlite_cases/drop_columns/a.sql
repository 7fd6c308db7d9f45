CREATE TABLE people (
  id INTEGER PRIMARY KEY,
  nickname TEXT,
  email TEXT,
  legacy_flag INTEGER
);
CREATE TABLE tags (label TEXT, weight REAL, colour TEXT);
INSERT INTO people VALUES (1, 'ann', 'a@x', 0), (2, 'bo', 'b@x', 1);
INSERT INTO tags VALUES ('red', 1.5, 'r'), ('blue', 2.0, 'b');
CREATE TABLE keyed (a INTEGER, b TEXT, c TEXT, PRIMARY KEY (a));
INSERT INTO keyed VALUES (1, 'x', 'y');
