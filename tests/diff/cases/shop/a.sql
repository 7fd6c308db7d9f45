create extension pg_trgm;
create schema reporting;
create schema legacy;
create type delivery_state as enum ('pending', 'sent');
create type dropped_kind as enum ('one', 'two');
create type spare_kind as enum ('p', 'q');
create table empty_thing();
create table suppliers (
    id serial primary key,
    label text not null
);
create table baskets (
    basket_id serial primary key,
    address text,
    state delivery_state,
    kind dropped_kind
);
create table items (
    item_no integer,
    title varchar(20) not null unique,
    cost numeric,
    weight integer not null default 3 unique,
    obsolete text,
    constraint cost_positive check (cost > 0),
    basket integer references baskets on delete cascade,
    supplier integer references suppliers on delete cascade
);
create unique index on items(weight);
create index on items(cost);
create view item_view as select * from items;
grant select, update on table items to postgres;
create function public.score(n integer, tags text[]) returns table(a text, b integer) as
$$ begin return query select 'x'::text, 1; end; $$
language plpgsql stable security definer;
