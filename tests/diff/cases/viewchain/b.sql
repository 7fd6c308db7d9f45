create table base (id serial primary key, name text, score bigint);
create view v0 as select name, 'k' as k from base;
create view v2b as select name from v0;
create materialized view mv as select count(*) as n, max(score) as top from base;
create index mv_n on mv (n);
