create table stamped (created_at timestamp default now(), updated_at timestamp);
create table things (t1 integer, t2 integer) inherits (stamped);
alter table things drop column t2;
alter table things add column t4 integer;
