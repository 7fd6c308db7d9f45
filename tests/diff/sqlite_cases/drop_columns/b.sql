CREATE TABLE people (
  id INTEGER PRIMARY KEY,
  email TEXT
);
CREATE TABLE tags (label TEXT, colour TEXT);
CREATE TABLE keyed (a INTEGER, b TEXT, PRIMARY KEY (a));
