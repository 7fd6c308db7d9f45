create table t (a int);
create view constant as select 2 as a;
create view reads_t as select a from constant;
create table "odd name(((x?)))" (id text, extra int);
create view "odd view(y)" as select id, extra from "odd name(((x?)))";
create table keyed (id integer not null, a text, b integer);
