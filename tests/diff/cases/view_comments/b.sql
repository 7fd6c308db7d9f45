create table gauges (id serial primary key, label varchar(50), reading integer, "None" text);
create view positive_gauges as select id, label, reading from gauges where reading > 0;
comment on view positive_gauges is 'readings above zero';
comment on column positive_gauges.label is 'what it measures';
comment on column gauges."None" is 'an odd name';
