CREATE TABLE authors (id INTEGER PRIMARY KEY, name TEXT NOT NULL, born INTEGER CHECK (born > 0));
CREATE TABLE books (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL DEFAULT '',
    author_id INTEGER REFERENCES authors(id) ON DELETE CASCADE,
    price REAL
);
CREATE UNIQUE INDEX books_title ON books(title);
CREATE INDEX books_author ON books(author_id);
CREATE TABLE plain (a, c);
CREATE TRIGGER books_touch AFTER UPDATE OF title ON books BEGIN SELECT 2; END;
CREATE VIEW cheap AS SELECT title, price FROM books WHERE price < 10;
CREATE VIEW by_author AS SELECT a.name, b.title FROM authors a JOIN books b ON b.author_id = a.id;
CREATE TABLE arriving (y TEXT);
