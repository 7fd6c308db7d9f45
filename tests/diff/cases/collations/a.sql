create table words (id int, w text collate "C", x text, y varchar(10));
