create table animals (id serial primary key, name text not null);
create table dogs (barks boolean) inherits (animals);
create table cats (lives int) inherits (animals);
