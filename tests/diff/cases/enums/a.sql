create type mood as enum ('sad', 'ok', 'happy');
create type level as enum ('low', 'high');
create table people (id integer primary key, m mood default 'ok', l level default 'low', hist mood[]);
create view happy_people as select * from people where m = 'happy';
create function mood_of(p integer) returns mood as $$ select m from people where id = p $$ language sql;
