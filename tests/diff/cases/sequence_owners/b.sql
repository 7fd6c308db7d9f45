create sequence parcels_id_seq as integer;
create sequence loose_numbers;
create table tickets (id int primary key default nextval('loose_numbers'));
alter sequence loose_numbers owned by tickets.id;
