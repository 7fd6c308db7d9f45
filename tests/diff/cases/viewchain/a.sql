create table base (id serial primary key, name text, score int);
create view v1 as select name, score from base;
create view v2 as select name from v1 where score > 1;
create view v3 as select upper(name) as loud from v2;
create function reads_v2(t text) returns table(x text) as $$ select name from v2 $$ language sql;
create materialized view mv as select count(*) as n from base;
create index mv_n on mv (n);
