create table readings (
    sensor int not null,
    taken date not null,
    value int
) partition by range (taken);
create table readings_2020 partition of readings for values from ('2020-01-01') to ('2021-01-01');
create table readings_2021 partition of readings for values from ('2021-01-01') to ('2022-01-01');
create index on readings_2020 (taken);
create table plain_to_parted (sensor int not null, taken date not null);
create table parted_to_plain (sensor int not null, taken date not null) partition by range (taken);
