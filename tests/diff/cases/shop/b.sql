create extension hstore;
create schema reporting;
create type delivery_state as enum ('pending', 'sent', 'arrived');
create type ticket_state as enum ('new', 'closed');
create type spare_kind as enum ('p', 'q', 'r');
create table items (
    item_no serial primary key,
    title text,
    cost numeric not null default 50,
    weight integer,
    fresh text,
    fresh_interval interval,
    constraint cost_positive check (cost > 5),
    constraint cost_small check (cost < 1000)
);
create index on items(title);
create table baskets (
    basket_id integer primary key unique,
    address text,
    state delivery_state,
    kind text,
    attrs hstore
);
create table basket_lines (
    item_no integer references items on delete restrict,
    basket_id integer references baskets on delete cascade,
    amount integer,
    primary key (item_no, basket_id)
);
create function public.score(n integer, tags text[]) returns table(a text, b integer) as
$$ begin return query select 'x'::text, 1; end; $$
language plpgsql volatile security definer;
create function public.brand_new(n integer) returns integer as $$ select n + 1 $$ language sql immutable;
create view item_view as select 2 as two;
create table tickets (id serial, body text, state ticket_state);
