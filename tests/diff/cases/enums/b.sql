create type mood as enum ('angry', 'sad', 'ok', 'great', 'happy');
create type level as enum ('high', 'medium');
create table people (id integer primary key, m mood default 'happy', l level default 'high', hist mood[]);
create view happy_people as select * from people where m = 'happy';
create function mood_of(p integer) returns mood as $$ select m from people where id = p $$ language sql;
create table with_level (id integer, l level);
