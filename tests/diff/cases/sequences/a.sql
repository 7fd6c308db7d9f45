create sequence counter start 5 increment 2;
create sequence orphan;
create table things (id serial primary key, n int);
create table leaving (id serial primary key);
create sequence used_by_default;
create table defaults (id int default nextval('used_by_default'));
