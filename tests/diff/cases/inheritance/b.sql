create table animals (id serial primary key, name text not null, born date);
create table dogs (barks boolean, breed text) inherits (animals);
create table cats (lives int);
create table birds (flies boolean) inherits (animals);
