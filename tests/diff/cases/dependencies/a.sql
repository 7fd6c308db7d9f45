create table t (a int);
create view reads_t as select a from t;
create view constant as select 1 as a;
create table "odd name(((x?)))" (id text);
create view "odd view(y)" as select id from "odd name(((x?)))";
create table keyed (id integer not null primary key, a text, b integer);
create view grouped as select id, a, max(b) from keyed group by id;
