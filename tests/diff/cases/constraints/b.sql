create extension if not exists btree_gist;
create table owners (id int primary key, code text, constraint owners_code_key unique (code, id));
create table pets (
    id int,
    owner_id int references owners(id) on delete cascade,
    owner_code text,
    age int check (age >= 1),
    during tsrange,
    constraint pets_pk primary key (id, owner_id)
);
create table slots (room int, during tsrange);
