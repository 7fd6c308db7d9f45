create table words (id int, w text collate "POSIX", x text collate "C", y varchar(20));
