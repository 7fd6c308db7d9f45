create table parcels (id serial primary key, weight int);
create sequence loose_numbers;
create table tickets (id int primary key);
