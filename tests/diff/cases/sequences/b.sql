create sequence counter start 5 increment 3 maxvalue 10000 cycle;
create sequence newcomer as integer start 1;
create table things (id serial primary key, n int);
create table defaults (id int);
