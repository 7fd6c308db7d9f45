create table events (id bigint not null, at date not null, kind text, primary key (id, at)) partition by range (at);
create index events_kind on events (kind);
create index events_at on events (at);
create table events_2023 partition of events for values from ('2023-01-01') to ('2024-01-01');
create table events_2024 partition of events for values from ('2024-01-01') to ('2025-01-01');
create table events_default partition of events default;
create table regions (code text not null, name text) partition by list (code);
create table regions_eu partition of regions for values in ('de', 'fr', 'it');
create table regions_us partition of regions for values in ('us');
