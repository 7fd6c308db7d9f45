create table gauges (id serial primary key, label varchar(50), reading integer, "None" text);
create view positive_gauges as select id, label, reading from gauges where reading > 0;
comment on view positive_gauges is 'only the positive ones';
comment on column positive_gauges.id is 'from gauges';
