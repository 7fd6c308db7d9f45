create table events (id bigint not null, at date not null, kind text, primary key (id, at)) partition by range (at);
create index events_kind on events (kind);
create table events_2023 partition of events for values from ('2023-01-01') to ('2024-01-01');
create table regions (code text not null, name text) partition by list (code);
create table regions_eu partition of regions for values in ('de', 'fr');
