create extension if not exists btree_gist;
create table owners (id int primary key, code text unique);
create table pets (
    id int primary key,
    owner_id int references owners(id),
    owner_code text,
    age int check (age >= 0),
    during tsrange,
    constraint pets_code_fk foreign key (owner_code) references owners(code) deferrable initially deferred
);
create table slots (room int, during tsrange, exclude using gist (room with =, during with &&));
