CREATE TABLE authors (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE books (
    id INTEGER PRIMARY KEY,
    author_id INTEGER REFERENCES authors(id),
    title TEXT,
    price INTEGER,
    obsolete BLOB
);
CREATE INDEX books_title ON books(title);
CREATE TABLE plain (a, b, c);
CREATE TRIGGER books_touch AFTER UPDATE ON books BEGIN SELECT 1; END;
CREATE VIEW cheap AS SELECT title FROM books WHERE price < 10;
CREATE TABLE leaving (x);
INSERT INTO authors VALUES (1, 'Ann'), (2, 'Bo');
INSERT INTO books VALUES (10, 1, 'Alpha', 5, x'00'), (11, 2, 'Beta', 12, NULL);
INSERT INTO plain (rowid, a, b, c) VALUES (7, 1, 2, 3), (9, 4, 5, 6);
INSERT INTO leaving VALUES (1);
