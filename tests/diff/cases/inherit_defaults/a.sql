create table stamped (created_at timestamp default now());
create table things (t1 integer, t2 integer, t3 text) inherits (stamped);
